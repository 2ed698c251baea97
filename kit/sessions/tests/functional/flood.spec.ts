import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import app from '@adonisjs/core/services/app'
import { DatabaseFamilyStore } from '#kit/sessions/src/database_family_store'
import { SessionFamilies } from '#kit/sessions/src/session_families'
import { generateSessionToken } from '#kit/sessions/src/token_hash'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'
import { CSRF_COOKIE, SESSION_COOKIE, csrfTokenOf, Visitor, testServer } from '#kit/testing'

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

  test('a page with a form stores no session: its CSRF secret travels in a cookie', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/login')

    response.assertStatus(200)
    assert.isUndefined(response.cookie(SESSION_COOKIE))
    assert.exists(response.cookie(CSRF_COOKIE))
    assert.equal(await sessionRows(), 0)
  })

  test('the CSRF cookie is encrypted, HttpOnly, SameSite=Lax and lives as long as a session', async ({
    assert,
  }) => {
    const response = await testServer('/login')
    const cookie = response.headers
      .getSetCookie()
      .find((header) => header.startsWith(`${CSRF_COOKIE}=`))!
    const html = await response.text()

    assert.match(cookie, /^adonis-csrf=e%3A/, 'an encrypted cookie value')
    assert.notInclude(cookie, csrfTokenOf(html))
    assert.match(cookie, /; HttpOnly/)
    assert.match(cookie, /; SameSite=Lax/)
    assert.match(cookie, /; Path=\//)
    assert.match(cookie, /; Max-Age=7200/)
    assert.notMatch(cookie, /; Domain=/)
  })

  test('{$self} cookie-less GET /login leave the session rows as they were')
    .with([10_000])
    .run(async ({ assert }, total) => {
      const visitor = new Visitor()
      await visitor.signIn('demo@example.com', DEMO_PASSWORD)
      const rowsBefore = await sessionRows()
      assert.equal(rowsBefore, 1)

      let sent = 0
      let ok = 0
      const worker = async () => {
        while (sent < total) {
          sent++
          const response = await testServer('/login')
          const html = await response.text()
          if (response.status === 200 && html.includes("name='_csrf'")) {
            ok++
          }
        }
      }
      await Promise.all(Array.from({ length: 16 }, worker))

      assert.equal(ok, total)
      assert.equal(await sessionRows(), rowsBefore)
    })
    .timeout(300_000)

  test('the form works end to end: GET /login, then POST /login with its token signs in', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    const { token } = await visitor.form('/login')
    assert.deepEqual([...visitor.cookies.keys()], [CSRF_COOKIE])

    const login = await visitor.post('/login', {
      email: 'demo@example.com',
      password: DEMO_PASSWORD,
      _csrf: token,
    })

    assert.equal(login.status, 302)
    assert.equal(login.headers.get('location'), '/')
    assert.deepEqual([...visitor.cookies.keys()], [SESSION_COOKIE], 'the CSRF cookie is cleared')
    const dashboard = await visitor.fetch('/dashboard', { headers: { accept: 'text/html' } })
    assert.equal(dashboard.status, 200)
    assert.include(await dashboard.text(), 'Signed in as demo@example.com')
    assert.equal(await sessionRows(), 1)
  })

  test('a failed sign-in stores a session for its message, shown once; its token still works', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    const { token } = await visitor.form('/login')

    const failed = await visitor.post('/login', {
      email: 'demo@example.com',
      password: 'not-the-password',
      _csrf: token,
    })
    assert.equal(failed.status, 302)
    assert.equal(failed.headers.get('location'), '/login')
    assert.equal(await sessionRows(), 1)
    assert.deepEqual([...visitor.cookies.keys()], [SESSION_COOKIE])

    const again = await visitor.form('/login')
    assert.include(again.html, 'Invalid user credentials')
    assert.include(again.html, 'value="demo@example.com"')
    const third = await visitor.form('/login')
    assert.notInclude(third.html, 'Invalid user credentials')

    const login = await visitor.post('/login', {
      email: 'demo@example.com',
      password: DEMO_PASSWORD,
      _csrf: token,
    })
    assert.equal(login.status, 302)
    assert.equal(login.headers.get('location'), '/')
  })

  test('a POST without the CSRF cookie, or with a forged one, is refused ({$self})')
    .with(['none', 'forged', 'another visitor'] as const)
    .run(async ({ assert }, cookie) => {
      const visitor = new Visitor()
      const { token } = await visitor.form('/login')
      if (cookie === 'none') {
        visitor.cookies.clear()
      } else if (cookie === 'forged') {
        visitor.cookies.set(CSRF_COOKIE, visitor.cookies.get(CSRF_COOKIE)!.replace(/.{4}$/, 'AAAA'))
      } else {
        const other = new Visitor()
        await other.form('/login')
        visitor.cookies = other.cookies
      }

      const login = await visitor.post(
        '/login',
        { email: 'demo@example.com', password: DEMO_PASSWORD, _csrf: token },
        { json: true }
      )

      assert.equal(login.status, 403)
      assert.equal(((await login.json()) as any).errors[0].code, 'E_BAD_CSRF_TOKEN')
      assert.equal(await sessionRows(), 0)
    })

  test('a forged CSRF cookie on GET gets a fresh one, never an error', async ({ assert }) => {
    const response = await testServer('/login', {
      headers: { cookie: `${CSRF_COOKIE}=e%3Anot-a-real-cookie` },
    })

    assert.equal(response.status, 200)
    assert.exists(
      response.headers.getSetCookie().find((header) => header.startsWith(`${CSRF_COOKIE}=e%3A`))
    )
  })

  test('a page carrying the CSRF token other than in a form sets the CSRF cookie', async ({
    client,
    assert,
  }) => {
    const page = await client.get('/__test__/session/csrf-token-in-page')
    const token = page.text().match(/content="([^"]+)"/)?.[1]

    assert.exists(token)
    assert.exists(page.cookie(CSRF_COOKIE))
    assert.isUndefined(page.cookie(SESSION_COOKIE))
    assert.equal(await sessionRows(), 0)
  })

  test('a JSON body carrying the CSRF token sets the CSRF cookie', async ({ client, assert }) => {
    const response = await client.get('/__test__/session/csrf-token-in-json')

    assert.isString(response.body().csrfToken)
    assert.exists(response.cookie(CSRF_COOKIE))
    response.assertHeader('cache-control', 'no-store')
    assert.equal(await sessionRows(), 0)
  })

  test('a route that sends the token in a header keeps its secret with keepCsrfSecret()', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/__test__/session/csrf-token-in-header')

    assert.exists(response.header('x-csrf-token'))
    assert.exists(response.cookie(CSRF_COOKIE))
    assert.equal(await sessionRows(), 0)
  })

  test('pages without the token set no CSRF cookie', async ({ client, assert }) => {
    for (const path of ['/', '/no/such/page', '/health']) {
      const response = await client.get(path)
      assert.isUndefined(response.cookie(CSRF_COOKIE), path)
    }
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
