import { test } from '@japa/runner'
import { hasCookie, withoutCookie } from '#kit/sessions/src/session_cookie'

test.group('Session cookie | hasCookie', () => {
  test('finds a cookie of that name: {$self}')
    .with([
      'adonis-session=abc',
      'a=1; adonis-session=abc',
      'a=1;adonis-session=',
      ' adonis-session=x',
    ])
    .run(({ assert }, header) => {
      assert.isTrue(hasCookie(header, 'adonis-session'))
    })

  test('no cookie of that name: {$self}')
    .with(['', 'a=1', 'xadonis-session=abc', 'adonis-sessionx=abc', 'adonis-session'])
    .run(({ assert }, header) => {
      assert.isFalse(hasCookie(header, 'adonis-session'))
    })

  test('no Cookie header', ({ assert }) => {
    assert.isFalse(hasCookie(undefined, 'adonis-session'))
  })
})

test.group('Session cookie | withoutCookie', () => {
  test('drops the cookies of that name and keeps the others in order', ({ assert }) => {
    const lines = ['a=1; Path=/', 'adonis-session=s1; Path=/', 'b=2', 'adonis-session=s2']

    assert.deepEqual(withoutCookie(lines, 'adonis-session'), ['a=1; Path=/', 'b=2'])
  })

  test('keeps a cookie whose name only starts the same', ({ assert }) => {
    assert.deepEqual(withoutCookie(['adonis-session-x=1'], 'adonis-session'), [
      'adonis-session-x=1',
    ])
  })

  test('a single header value, or none', ({ assert }) => {
    assert.deepEqual(withoutCookie('a=1', 'adonis-session'), ['a=1'])
    assert.deepEqual(withoutCookie('adonis-session=s', 'adonis-session'), [])
    assert.deepEqual(withoutCookie(undefined, 'adonis-session'), [])
  })
})
