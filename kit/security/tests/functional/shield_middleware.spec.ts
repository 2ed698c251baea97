import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'

test.group('Shield | one middleware instance', () => {
  test('the container gives every request the same shield middleware', async ({ assert }) => {
    const first = await app.container.make(ShieldMiddleware)
    const second = await app.container.make(ShieldMiddleware)

    assert.instanceOf(first, ShieldMiddleware)
    assert.strictEqual(first, second)
  })

  test('requests through the one instance still get a nonce and a CSRF token each', async ({
    client,
    assert,
  }) => {
    const pages = await Promise.all([client.get('/login'), client.get('/login')])
    const nonces = pages.map(
      (page) => /'nonce-([^']+)'/.exec(String(page.header('content-security-policy')))?.[1]
    )
    const tokens = pages.map((page) => /name='_csrf' value='([^']+)'/.exec(page.text())?.[1])

    pages.forEach((page) => assert.equal(page.status(), 200))
    assert.isString(nonces[0])
    assert.notEqual(nonces[0], nonces[1])
    assert.isString(tokens[0])
    assert.notEqual(tokens[0], tokens[1])
  })
})
