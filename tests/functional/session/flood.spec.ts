import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import { DatabaseFamilyStore } from '#session/database_family_store'
import { SessionFamilies } from '#session/session_families'
import { generateSessionToken } from '#session/session_token'
import { SESSION_COOKIE } from '#tests/helpers/browser_session'

async function sessionRows() {
  const [{ total }] = await db.from('sessions').count('* as total')
  return Number(total)
}

test.group('Session | cookie-less traffic', (group) => {
  group.each.setup(async () => {
    await db.from('sessions').delete()
  })

  test('pages without forms store no session and set no cookie', async ({ client, assert }) => {
    for (let i = 0; i < 50; i++) {
      const response = await client.get(i % 2 ? '/' : '/no/such/page')
      assert.isUndefined(response.cookie(SESSION_COOKIE))
    }
    for (let i = 0; i < 20; i++) {
      const response = await client.get('/api/me')
      response.assertStatus(401)
    }
    assert.equal(await sessionRows(), 0)
  })

  test('a page with a form stores its session (the CSRF secret is needed)', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/login')

    assert.exists(response.cookie(SESSION_COOKIE))
    assert.equal(await sessionRows(), 1)
  })

  test('a page carrying the CSRF token other than in a form stores its session', async ({
    client,
    assert,
  }) => {
    const page = await client.get('/__test__/session/csrf-token-in-page')
    const token = page.text().match(/content="([^"]+)"/)?.[1]

    assert.exists(token)
    assert.exists(page.cookie(SESSION_COOKIE))
    assert.equal(await sessionRows(), 1)
  })

  test('a JSON body carrying the CSRF token stores its session', async ({ client, assert }) => {
    const response = await client.get('/__test__/session/csrf-token-in-json')

    assert.isString(response.body().csrfToken)
    assert.exists(response.cookie(SESSION_COOKIE))
    assert.equal(await sessionRows(), 1)
  })

  test('a route that sends the token in a header keeps its session with markNeeded()', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/__test__/session/csrf-token-in-header')

    assert.exists(response.header('x-csrf-token'))
    assert.exists(response.cookie(SESSION_COOKIE))
    assert.equal(await sessionRows(), 1)
  })

  test('expired sessions are collected', async ({ assert }) => {
    const { policy } = await app.container.make(SessionFamilies)
    const store = new DatabaseFamilyStore(db.connection(), 'k'.repeat(32))
    const now = Date.now()

    await store.create(
      generateSessionToken(),
      {},
      { userId: null, userAgent: null },
      policy,
      now - policy.idleTimeoutMs - 1000
    )
    await store.create(generateSessionToken(), {}, { userId: null, userAgent: null }, policy, now)
    await db
      .from('sessions')
      .limit(1)
      .orderBy('created_at', 'desc')
      .update({ family_created_at: now - policy.absoluteLifetimeMs - 1 })
    await store.create(generateSessionToken(), {}, { userId: null, userAgent: null }, policy, now)

    assert.equal(await store.collectExpired(policy, now), 2)
    assert.equal(await sessionRows(), 1)
    assert.isTrue(app.inTest)
  })
})
