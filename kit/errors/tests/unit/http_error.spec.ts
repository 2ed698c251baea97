import { test } from '@japa/runner'
import { Exception } from '@adonisjs/core/exceptions'
import {
  isErrorStatus,
  statusErrorCode,
  statusTitle,
  toHttpError,
} from '#kit/errors/src/http_error'

test.group('Errors | toHttpError', () => {
  test('keeps an Error with a valid status as it is', ({ assert }) => {
    const error = new Exception('Gone', { status: 410, code: 'E_GONE' })
    const httpError = toHttpError(error)

    assert.strictEqual(httpError, error)
    assert.equal(httpError.status, 410)
    assert.equal(httpError.code, 'E_GONE')
  })

  test('gives a status-less Error a 500', ({ assert }) => {
    assert.equal(toHttpError(new Error('boom')).status, 500)
  })

  test('turns status {$self} into 500')
    .with([200, 302, 1000, 99, 600, 404.5, 'abc', '404', null, Number.NaN])
    .run(({ assert }, status) => {
      const httpError = toHttpError(Object.assign(new Error('x'), { status }))
      assert.equal(httpError.status, 500)
    })

  test('wraps a thrown {title}')
    .with([
      { title: 'string', value: 'text', message: 'text' },
      { title: 'number', value: 42, message: '42' },
      { title: 'null', value: null, message: 'Internal Server Error' },
      { title: 'undefined', value: undefined, message: 'Internal Server Error' },
      { title: 'plain object', value: { message: 'from an object' }, message: 'from an object' },
      { title: 'empty object', value: {}, message: 'Internal Server Error' },
    ])
    .run(({ assert }, { value, message }) => {
      const httpError = toHttpError(value)

      assert.instanceOf(httpError, Error)
      assert.equal(httpError.status, 500)
      assert.equal(httpError.message, message)
      assert.strictEqual(httpError.cause, value)
    })

  test('keeps a valid status and code of a thrown object', ({ assert }) => {
    const httpError = toHttpError({ message: 'nope', status: 403, code: 'E_NOPE' })
    assert.equal(httpError.status, 403)
    assert.equal(httpError.code, 'E_NOPE')
  })

  test('gives an empty message the status title', ({ assert }) => {
    assert.equal(toHttpError(new Exception('', { status: 404 })).message, 'Not Found')
  })
})

test.group('Errors | statuses', () => {
  test('accepts only integers from 400 to 599', ({ assert }) => {
    assert.isTrue(isErrorStatus(400))
    assert.isTrue(isErrorStatus(599))
    assert.isFalse(isErrorStatus(399))
    assert.isFalse(isErrorStatus(600))
    assert.isFalse(isErrorStatus('500'))
  })

  test('names statuses, 419 included', ({ assert }) => {
    assert.equal(statusTitle(404), 'Not Found')
    assert.equal(statusTitle(419), 'Page Expired')
    assert.equal(statusTitle(599), 'Server Error')
    assert.equal(statusErrorCode(404), 'E_NOT_FOUND')
    assert.equal(statusErrorCode(500), 'E_INTERNAL_SERVER_ERROR')
    assert.equal(statusErrorCode(418), 'E_I_M_A_TEAPOT')
  })
})
