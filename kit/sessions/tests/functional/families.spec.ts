import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import testUtils from '@adonisjs/core/services/test_utils'
import { SessionFamilies } from '#kit/sessions/src/session_families'
import { signIn, testServer } from '#kit/testing'

test.group('Session | families from the container', (group) => {
  group.each.setup(async () => {
    await db.from('sessions').delete()
  })

  test('one instance, made once', async ({ assert }) => {
    const first = await app.container.make(SessionFamilies)
    const second = await app.container.make(SessionFamilies)

    assert.strictEqual(first, second)
    assert.exists(first.store, 'SESSION_DRIVER=database keeps families')
  })

  test("families are keyed by the web guard's own session key", async ({ assert }) => {
    const families = await app.container.make(SessionFamilies)
    const auth = await app.container.make('auth.manager')
    const ctx = await testUtils.createHttpContext()

    assert.equal(families.userIdKey, auth.createAuthenticator(ctx).use('web').sessionKeyName)
  })

  test('a sign-in files its family under the user', async ({ client, assert }) => {
    const { token } = await signIn(testServer, 'demo@example.com')
    const { default: User } = await import('#models/user')
    const user = await User.findByOrFail('email', 'demo@example.com')
    const { store } = await app.container.make(SessionFamilies)

    const me = await client.get('/api/me').as(token)

    me.assertStatus(200)
    assert.lengthOf(await store!.listUser(String(user.id), Date.now()), 1)
  })
})
