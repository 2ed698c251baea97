import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { AppProcess, csrfTokenOf, signIn } from '#kit/testing'
import { openServerForm } from '#tests/helpers/server_forms'

/**
 * Signs a demo user in on a spawned server; returns the login response
 * and the Set-Cookie header of its session cookie.
 */
async function signInOn(server: AppProcess, email: string) {
  const { response } = await signIn(server, email)
  return { response, cookie: sessionCookieOf(response) }
}

/**
 * The Set-Cookie header of the session cookie.
 */
function sessionCookieOf(response: Response) {
  return response.headers.getSetCookie().find((cookie) => cookie.startsWith('__Host-session='))!
}

test.group('Session | production', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start()
    return async () => {
      await server.stop()
    }
  })

  test('the cookie is __Host-, HttpOnly, Secure and SameSite=Lax', async ({ assert }) => {
    const { response, cookie } = await signInOn(server, 'demo@example.com')

    assert.equal(response.status, 302)
    assert.match(cookie, /^__Host-session=/)
    assert.match(cookie, /; HttpOnly/)
    assert.match(cookie, /; Secure/)
    assert.match(cookie, /; SameSite=Lax/)
    assert.match(cookie, /; Path=\//)
    assert.notMatch(cookie, /Domain=/)
  })

  test('the login form of a visitor without a session sets only a __Host- CSRF cookie', async ({
    assert,
  }) => {
    const form = await server.fetch('/login')
    const html = await form.text()
    const cookies = form.headers.getSetCookie()

    assert.lengthOf(cookies, 1)
    const [cookie] = cookies
    assert.match(cookie, /^__Host-csrf=e%3A/)
    assert.notInclude(cookie, csrfTokenOf(html))
    assert.match(cookie, /; HttpOnly/)
    assert.match(cookie, /; Secure/)
    assert.match(cookie, /; SameSite=Lax/)
    assert.match(cookie, /; Path=\//)
    assert.notMatch(cookie, /Domain=/)

    const { response, cookie: session } = await signInOn(server, 'demo@example.com')
    assert.equal(response.status, 302)
    assert.exists(session)
    assert.exists(
      response.headers.getSetCookie().find((header) => /^__Host-csrf=;.*Max-Age=0/.test(header)),
      'the CSRF cookie is cleared once the secret is in the session'
    )
  })

  test('theft is logged with the user and family, never a token', async ({ assert }) => {
    const { cookie } = await signInOn(server, 'demo@example.com')
    const first = cookie.split(';')[0]
    const token = decodeURIComponent(first.split('=')[1])

    await db.rawQuery('UPDATE sessions SET created_at = created_at - 960000')
    const rotated = await server.fetch('/api/me', { headers: { cookie: first } })
    assert.equal(rotated.status, 200)
    await db.rawQuery(
      'UPDATE sessions SET rotated_at = rotated_at - 31000 WHERE rotated_at IS NOT NULL'
    )

    const theft = await server.fetch('/api/me', {
      headers: { 'cookie': first, 'x-request-id': 'req-theft-p' },
    })
    assert.equal(theft.status, 401)
    const body: any = await theft.json()
    assert.equal(body.errors[0].code, 'E_TOKEN_THEFT_DETECTED')
    const cleared = theft.headers.getSetCookie().filter((value) => value.startsWith('__Host-'))
    assert.lengthOf(cleared, 1, 'the cookie is cleared; no new session cookie')
    assert.match(cleared[0], /^__Host-session=;.*Expires=Thu, 01 Jan 1970/)
    assert.match(cleared[0], /; Secure/)

    await server.waitForOutput(/req-theft-p/)
    const line = server.logLines().find((entry) => entry.request_id === 'req-theft-p')!
    assert.equal(line.event, 'session.theft_detected')
    assert.equal(line.level, 40)
    assert.isString(line.sessionFamily)
    assert.isNumber(line.userId)

    /**
     * The family is revoked: its tokens keep answering theft, but the
     * theft is reported once, by the request that detected it.
     */
    const again = await server.fetch('/api/me', {
      headers: { 'cookie': first, 'x-request-id': 'req-theft-again' },
    })
    assert.equal(again.status, 401)
    assert.equal(((await again.json()) as any).errors[0].code, 'E_TOKEN_THEFT_DETECTED')
    await server.fetch('/__test__/errors/status/409', { headers: { 'x-request-id': 'req-mark-t' } })
    await server.waitForOutput(/req-mark-t/)
    assert.lengthOf(
      server.logLines().filter((entry) => entry.event === 'session.theft_detected'),
      1
    )

    const output = server.output
    assert.notInclude(output, token)
    assert.notInclude(output, encodeURIComponent(token))
    assert.notInclude(output, first.split('=')[1])
  })

  test('with theft detection off, a reused token is refused: nothing revoked, nothing logged', async ({
    assert,
    cleanup,
  }) => {
    await server.fetch('/__test__/settings/theft-detection/off')
    cleanup(async () => {
      await server.fetch('/__test__/settings/theft-detection/on')
    })
    const { cookie } = await signInOn(server, 'demo@example.com')
    const first = cookie.split(';')[0]
    await db.rawQuery('UPDATE sessions SET created_at = created_at - 960000')
    const rotated = await server.fetch('/api/me', { headers: { cookie: first } })
    const second = sessionCookieOf(rotated).split(';')[0]
    await db.rawQuery(
      'UPDATE sessions SET rotated_at = rotated_at - 31000 WHERE rotated_at IS NOT NULL'
    )
    const logged = server.output.length

    const reuse = await server.fetch('/api/me', {
      headers: { 'cookie': first, 'x-request-id': 'req-stale-p' },
    })

    assert.equal(reuse.status, 401)
    const body: any = await reuse.json()
    assert.deepInclude(body.errors[0], { code: 'E_UNAUTHORIZED', reason: 'revoked' })
    const current = await server.fetch('/api/me', { headers: { cookie: second } })
    assert.equal(current.status, 200)
    await server.fetch('/__test__/faults/log-flood?lines=0&marker=req-stale-done')
    await server.waitForOutput(/req-stale-done/, 10_000, logged)
    assert.notInclude(server.output.slice(logged), 'session.theft_detected')
  })

  test('a CSRF failure answers JSON clients with a 403 body', async ({ assert }) => {
    const response = await server.fetch('/login', {
      method: 'POST',
      headers: { 'accept': 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.c', password: 'x' }),
    })

    assert.equal(response.status, 403)
    const body: any = await response.json()
    assert.equal(body.errors[0].code, 'E_BAD_CSRF_TOKEN')
  })

  test('a CSRF failure sends HTML forms back with a flash message', async ({ assert }) => {
    /**
     * A browser that kept the login page's cookies (over HTTPS): without
     * them, over plain HTTP, the answer is the plain-HTTP notice instead
     * (plain_http.spec.ts).
     */
    const { cookie } = await openServerForm(server, '/login')
    const response = await server.fetch('/login', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'referer': `${server.url}/login`,
        cookie,
      },
      body: 'email=a%40b.c&password=x',
    })

    assert.equal(response.status, 302)
    assert.equal(response.headers.get('location'), '/login')
  })
})

test.group('Session | boot checks', () => {
  test('the cookie store with theft detection stops the boot with a clear message', async ({
    assert,
  }) => {
    const server = new AppProcess({ NODE_ENV: 'production', SESSION_DRIVER: 'cookie', PORT: '0' })
    const code = await server.exited

    assert.notEqual(code, 0)
    assert.include(
      server.output.replace(/\s+/g, ' '),
      'SESSION_DRIVER=cookie cannot detect token theft'
    )
  }).timeout(60_000)

  test('a grace window over 300 s stops the boot', async ({ assert }) => {
    const server = new AppProcess({
      NODE_ENV: 'production',
      SESSION_ROTATION_GRACE: '10m',
      PORT: '0',
    })
    const code = await server.exited

    assert.notEqual(code, 0)
    assert.include(server.output.replace(/\s+/g, ' '), 'it must be between 0s and 300s')
  }).timeout(60_000)

  test(
    'a grace window as long as the rotation interval, or longer, stops the boot ({SESSION_ROTATION_INTERVAL} / {SESSION_ROTATION_GRACE})'
  )
    .with([
      { SESSION_ROTATION_INTERVAL: '1s', SESSION_ROTATION_GRACE: '5s' },
      { SESSION_ROTATION_INTERVAL: '30s', SESSION_ROTATION_GRACE: '30s' },
    ])
    .run(async ({ assert }, settings) => {
      const server = new AppProcess({ NODE_ENV: 'production', PORT: '0', ...settings })
      const code = await server.exited

      assert.notEqual(code, 0)
      assert.include(
        server.output.replace(/\s+/g, ' '),
        'the grace window must be shorter than the rotation interval'
      )
    })
    .timeout(60_000)
})
