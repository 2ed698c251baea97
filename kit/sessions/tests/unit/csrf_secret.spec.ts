import { test } from '@japa/runner'
import { bodyCarries } from '#kit/sessions/src/csrf_secret'

const TOKEN = 'tok-123'

test.group('CSRF secret | bodyCarries', () => {
  test('a page or a buffer with the token', ({ assert }) => {
    assert.isTrue(bodyCarries(`<input name="_csrf" value="${TOKEN}">`, TOKEN))
    assert.isTrue(bodyCarries(Buffer.from(`<meta content="${TOKEN}">`), TOKEN))
  })

  test('data sent as JSON with the token, however deep', ({ assert }) => {
    assert.isTrue(bodyCarries({ csrfToken: TOKEN }, TOKEN))
    assert.isTrue(bodyCarries([{ nested: { token: TOKEN } }], TOKEN))
  })

  test('a body without the token', ({ assert }) => {
    assert.isFalse(bodyCarries('<p>Hello</p>', TOKEN))
    assert.isFalse(bodyCarries({ ok: true }, TOKEN))
    assert.isFalse(bodyCarries(42, TOKEN))
  })

  test('no body, or no token this request', ({ assert }) => {
    assert.isFalse(bodyCarries(undefined, TOKEN))
    assert.isFalse(bodyCarries(null, TOKEN))
    assert.isFalse(bodyCarries(`value="${TOKEN}"`, undefined))
    assert.isFalse(bodyCarries('anything', ''))
  })
})
