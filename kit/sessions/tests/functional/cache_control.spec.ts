import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'
import { SESSION_COOKIE, csrfTokenOf, signIn, withFormCookies, testServer } from '#kit/testing'

/**
 * True when the response may not be stored by any cache.
 */
function isNoStore(cacheControl: string | undefined) {
  return /(^|,)\s*no-store\s*(,|$)/i.test(cacheControl ?? '')
}

test.group('Session | Cache-Control on per-user responses', (group) => {
  group.each.setup(async () => {
    await db.from('sessions').delete()
  })

  test('signed in as {email}: {path} ({status}) is no-store')
    .with([
      { email: 'demo@example.com', path: '/dashboard', accept: 'text/html', status: 200 },
      { email: 'demo@example.com', path: '/sessions', accept: 'text/html', status: 200 },
      { email: 'demo@example.com', path: '/api/me', accept: 'application/json', status: 200 },
      { email: 'demo@example.com', path: '/dashboard', accept: 'application/json', status: 200 },
      { email: 'admin@example.com', path: '/admin', accept: 'text/html', status: 200 },
      { email: 'demo@example.com', path: '/admin', accept: 'text/html', status: 403 },
      { email: 'demo@example.com', path: '/admin', accept: 'application/json', status: 403 },
      { email: 'unverified@example.com', path: '/billing', accept: 'text/html', status: 403 },
      { email: 'demo@example.com', path: '/', accept: 'text/html', status: 200 },
      { email: 'demo@example.com', path: '/login', accept: 'text/html', status: 302 },
    ])
    .run(async ({ assert, client }, { email, path, accept, status }) => {
      const { token } = await signIn(testServer, email)
      const response = await client.get(path).header('accept', accept).as(token).redirects(0)

      response.assertStatus(status)
      assert.isTrue(isNoStore(response.header('cache-control')), response.header('cache-control'))
    })

  test('signed out: {path} ({status}) is no-store')
    .with([
      { path: '/dashboard', accept: 'text/html', status: 303 },
      { path: '/sessions', accept: 'text/html', status: 303 },
      { path: '/api/me', accept: 'application/json', status: 401 },
      { path: '/dashboard', accept: 'application/json', status: 401 },
      { path: '/login', accept: 'text/html', status: 200 },
      { path: '/login?next=%2Fdashboard', accept: 'text/html', status: 200 },
    ])
    .run(async ({ assert, client }, { path, accept, status }) => {
      const response = await client.get(path).header('accept', accept).redirects(0)

      response.assertStatus(status)
      assert.isTrue(isNoStore(response.header('cache-control')), response.header('cache-control'))
    })

  test('an expired or unknown session cookie: /dashboard redirects with no-store', async ({
    assert,
    client,
  }) => {
    const response = await client.get('/dashboard').as('not-a-token-the-server-issued').redirects(0)

    response.assertStatus(303)
    assert.isTrue(isNoStore(response.header('cache-control')))
  })

  test('signing in, a failed sign-in and signing out are no-store', async ({ assert, client }) => {
    const form = await client.get('/login')

    const failed = await withFormCookies(
      client
        .post('/login')
        .form({ email: 'demo@example.com', password: 'wrong', _csrf: csrfTokenOf(form.text()) })
        .redirects(0),
      form
    )
    failed.assertStatus(302)
    assert.isTrue(isNoStore(failed.header('cache-control')), 'failed sign-in')
    const cookie = failed.cookie(SESSION_COOKIE)!.value

    const retry = await client.get('/login').as(cookie)
    const login = await client
      .post('/login')
      .form({
        email: 'demo@example.com',
        password: DEMO_PASSWORD,
        _csrf: csrfTokenOf(retry.text()),
      })
      .as(cookie)
      .redirects(0)
    login.assertStatus(302)
    assert.isTrue(isNoStore(login.header('cache-control')), 'sign-in')

    const token = login.cookie(SESSION_COOKIE)!.value
    const dashboard = await client.get('/dashboard').as(token)
    const logout = await client
      .post('/logout')
      .form({ _csrf: csrfTokenOf(dashboard.text()) })
      .as(token)
      .redirects(0)
    logout.assertStatus(302)
    assert.isTrue(isNoStore(logout.header('cache-control')), 'sign-out')
  })

  test('a public response for a visitor is not no-store: {$self}')
    .with(['/', '/health', '/css/app.css', '/no/such/page'])
    .run(async ({ assert, client }, path) => {
      const response = await client.get(path).redirects(0)

      assert.isFalse(isNoStore(response.header('cache-control')), response.header('cache-control'))
      assert.isUndefined(response.cookie(SESSION_COOKIE))
    })
})
