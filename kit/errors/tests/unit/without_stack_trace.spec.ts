import { test } from '@japa/runner'
import UnauthorizedException from '#kit/sessions/src/exceptions/unauthorized_exception'
import { withoutStackTrace } from '#kit/errors/src/without_stack_trace'

test.group('Errors | withoutStackTrace', () => {
  test('builds the error with a one-line stack, and keeps everything else', ({ assert }) => {
    const error = withoutStackTrace(() => new UnauthorizedException('expired'))
    assert.equal(
      error.stack,
      'UnauthorizedException: Your session has expired. Please sign in again.'
    )
    assert.equal(error.status, 401)
    assert.equal(error.code, 'E_UNAUTHORIZED')
    assert.equal(error.reason, 'expired')
    assert.instanceOf(error, UnauthorizedException)
  })

  test('errors built elsewhere keep their stack', ({ assert }) => {
    withoutStackTrace(() => new UnauthorizedException())
    assert.include(new UnauthorizedException().stack!, 'without_stack_trace.spec')
  })

  test('the stack trace limit comes back when building throws', ({ assert }) => {
    const limit = Error.stackTraceLimit
    assert.throws(
      () =>
        withoutStackTrace(() => {
          throw new Error('cannot build')
        }),
      'cannot build'
    )
    assert.equal(Error.stackTraceLimit, limit)
  })
})
