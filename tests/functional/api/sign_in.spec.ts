import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { AppProcess, DEMO_PASSWORD, Visitor, sendTo, type Send } from '#kit/testing'

const EMAIL = 'demo@example.com'

/**
 * A JSON client (a single-page app's `fetch`, a mobile app, a script): it
 * keeps cookies as a browser does, sends and accepts JSON only, and never
 * reads HTML.
 */
class JsonClient extends Visitor {
  /**
   * Sends a JSON request; `token` goes in the `X-CSRF-TOKEN` header.
   */
  request(method: string, path: string, options: { body?: object; token?: string } = {}) {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (options.body) {
      headers['content-type'] = 'application/json'
    }
    if (options.token) {
      headers['x-csrf-token'] = options.token
    }
    return this.fetch(path, {
      method,
      headers,
      body: options.body ? JSON.stringify(options.body) : undefined,
    })
  }

  /**
   * A CSRF token, the documented way: `GET /api/csrf`.
   */
  async csrfToken(): Promise<string> {
    const response = await this.request('GET', '/api/csrf')
    if (response.status !== 200) {
      throw new Error(`GET /api/csrf answered ${response.status}: ${await response.text()}`)
    }
    const { token } = (await response.json()) as { token: string }
    return token
  }

  /**
   * Signs in with JSON: a token, then `POST /login`.
   */
  async signInWithJson(email = EMAIL, password = DEMO_PASSWORD) {
    const token = await this.csrfToken()
    return this.request('POST', '/login', { body: { email, password }, token })
  }

  /**
   * The status of `GET /api/me`.
   */
  async meStatus() {
    const me = await this.request('GET', '/api/me')
    await me.body?.cancel()
    return me.status
  }
}

/**
 * Asserts a 403 E_BAD_CSRF_TOKEN answered in JSON.
 */
async function assertCsrfRefused(assert: any, response: Response) {
  assert.equal(response.status, 403)
  assert.match(response.headers.get('content-type')!, /^application\/json/)
  const body: any = await response.json()
  assert.equal(body.errors[0].code, 'E_BAD_CSRF_TOKEN')
}

/**
 * The full JSON-only flow against a server: token, sign-in, a request,
 * sign-out, the same request refused. Returns the responses for checks
 * of their own.
 */
async function jsonSignInFlow(assert: any, client: JsonClient) {
  const tokenResponse = await client.request('GET', '/api/csrf')
  assert.equal(tokenResponse.status, 200)
  assert.match(tokenResponse.headers.get('content-type')!, /^application\/json/)
  assert.include(tokenResponse.headers.get('cache-control')!, 'no-store')
  const { token } = (await tokenResponse.json()) as { token: string }
  assert.isString(token)
  assert.isAbove(token.length, 20)

  const login = await client.request('POST', '/login', {
    body: { email: EMAIL, password: DEMO_PASSWORD },
    token,
  })
  assert.equal(login.status, 200)
  assert.isNull(login.headers.get('location'))
  assert.match(login.headers.get('content-type')!, /^application\/json/)
  assert.include(login.headers.get('cache-control')!, 'no-store')
  const signedIn: any = await login.json()
  assert.equal(signedIn.user.email, EMAIL)
  assert.isNumber(signedIn.user.id)
  assert.notProperty(signedIn.user, 'password')

  const me = await client.request('GET', '/api/me')
  assert.equal(me.status, 200)
  assert.include(await me.json(), { email: EMAIL })

  const signedInToken = await client.csrfToken()
  const logout = await client.request('POST', '/logout', { token: signedInToken })
  assert.equal(logout.status, 204)
  assert.isNull(logout.headers.get('location'))
  assert.equal(await logout.text(), '')

  const after = await client.request('GET', '/api/me')
  assert.equal(after.status, 401)
  const refused: any = await after.json()
  assert.equal(refused.errors[0].code, 'E_UNAUTHORIZED')

  return { tokenResponse, token, login, logout, signedInToken }
}

test.group('API sign-in | JSON only, with a token from GET /api/csrf', (group) => {
  group.each.setup(async () => {
    await db.from('sessions').delete()
  })

  test('a token, sign-in, a request, sign-out, the request refused', async ({ assert }) => {
    const { logout } = await jsonSignInFlow(assert, new JsonClient())
    assert.include(logout.headers.get('cache-control')!, 'no-store')
  })

  test('a client without a session gets the token and an encrypted CSRF cookie, and stores nothing', async ({
    assert,
  }) => {
    const client = new JsonClient()
    const response = await client.request('GET', '/api/csrf')
    const { token } = (await response.json()) as { token: string }

    const cookies = response.headers.getSetCookie()
    assert.lengthOf(cookies, 1)
    assert.match(cookies[0], /^adonis-csrf=e%3A/)
    assert.notInclude(cookies[0], token)
    assert.match(cookies[0], /; HttpOnly/)
    assert.match(cookies[0], /; SameSite=Lax/)
    assert.lengthOf(await db.from('sessions'), 0)
  })

  test('the token of a signed-in client comes from its session (no CSRF cookie)', async ({
    assert,
  }) => {
    const client = new JsonClient()
    await client.signInWithJson()
    const response = await client.request('GET', '/api/csrf')

    assert.equal(response.status, 200)
    assert.include(response.headers.get('cache-control')!, 'no-store')
    assert.isFalse(
      response.headers.getSetCookie().some((cookie) => cookie.startsWith('adonis-csrf=')),
      'no CSRF cookie once a session is stored'
    )
    const { token } = (await response.json()) as { token: string }
    const logout = await client.request('POST', '/logout', { token })
    assert.equal(logout.status, 204)
  })

  test('the token also works as the `_csrf` member of the JSON body', async ({ assert }) => {
    const client = new JsonClient()
    const token = await client.csrfToken()
    const login = await client.request('POST', '/login', {
      body: { email: EMAIL, password: DEMO_PASSWORD, _csrf: token },
    })
    assert.equal(login.status, 200)
    assert.equal(await client.meStatus(), 200)
  })

  test('no token: 403 E_BAD_CSRF_TOKEN in JSON ({$self})')
    .with(['/login', '/logout'])
    .run(async ({ assert }, path) => {
      const client = new JsonClient()
      await client.csrfToken()
      const response = await client.request('POST', path, {
        body: { email: EMAIL, password: DEMO_PASSWORD },
      })
      await assertCsrfRefused(assert, response)
      assert.equal(await client.meStatus(), 401)
    })

  test('a token of another client is refused', async ({ assert }) => {
    const mallory = new JsonClient()
    const stolen = await mallory.csrfToken()

    const victim = new JsonClient()
    await victim.csrfToken()
    await assertCsrfRefused(
      assert,
      await victim.request('POST', '/login', {
        body: { email: EMAIL, password: DEMO_PASSWORD },
        token: stolen,
      })
    )

    const cookieless = new JsonClient()
    await assertCsrfRefused(
      assert,
      await cookieless.request('POST', '/login', {
        body: { email: EMAIL, password: DEMO_PASSWORD },
        token: stolen,
      })
    )

    const signedIn = new JsonClient()
    await signedIn.signInWithJson()
    await assertCsrfRefused(assert, await signedIn.request('POST', '/logout', { token: stolen }))
    assert.equal(await signedIn.meStatus(), 200, 'the refused sign-out signed nobody out')
  })

  test('a token from before sign-in is refused after it; one from before sign-out after that', async ({
    assert,
  }) => {
    const client = new JsonClient()
    const beforeSignIn = await client.csrfToken()
    const login = await client.request('POST', '/login', {
      body: { email: EMAIL, password: DEMO_PASSWORD },
      token: beforeSignIn,
    })
    assert.equal(login.status, 200)

    await assertCsrfRefused(
      assert,
      await client.request('POST', '/logout', { token: beforeSignIn })
    )
    assert.equal(await client.meStatus(), 200)

    const beforeSignOut = await client.csrfToken()
    const signOut = await client.request('POST', '/logout', { token: beforeSignOut })
    assert.equal(signOut.status, 204)
    await assertCsrfRefused(
      assert,
      await client.request('POST', '/login', {
        body: { email: EMAIL, password: DEMO_PASSWORD },
        token: beforeSignOut,
      })
    )
    assert.equal(await client.meStatus(), 401)

    const again = await client.signInWithJson()
    assert.equal(again.status, 200)
    assert.equal(await client.meStatus(), 200)
  })

  test('sign-out everywhere: 204, and the client is signed out', async ({ assert }) => {
    const client = new JsonClient()
    await client.signInWithJson()
    const token = await client.csrfToken()
    const response = await client.request('POST', '/logout/all', { token })

    assert.equal(response.status, 204)
    assert.isNull(response.headers.get('location'))
    assert.equal(await client.meStatus(), 401)
  })

  test('a wrong password: 400 E_INVALID_CREDENTIALS in JSON, no redirect, no flash', async ({
    assert,
  }) => {
    const client = new JsonClient()
    const response = await client.signInWithJson(EMAIL, 'not-the-password')

    assert.equal(response.status, 400)
    assert.isNull(response.headers.get('location'))
    const body: any = await response.json()
    assert.equal(body.errors[0].code, 'E_INVALID_CREDENTIALS')
    assert.notInclude(JSON.stringify(body), 'not-the-password')
    assert.equal(await client.meStatus(), 401)
  })

  test('an invalid form: 422 E_VALIDATION_ERROR in JSON, no redirect', async ({ assert }) => {
    const client = new JsonClient()
    const token = await client.csrfToken()
    const response = await client.request('POST', '/login', { body: { email: EMAIL }, token })

    assert.equal(response.status, 422)
    assert.isNull(response.headers.get('location'))
    const body: any = await response.json()
    assert.equal(body.errors[0].field, 'password')
  })

  test('a signed-in client posting /login again: 409 E_ALREADY_SIGNED_IN, not a redirect', async ({
    assert,
  }) => {
    const client = new JsonClient()
    await client.signInWithJson()
    const token = await client.csrfToken()
    const again = await client.request('POST', '/login', {
      body: { email: EMAIL, password: DEMO_PASSWORD },
      token,
    })

    assert.isNull(again.headers.get('location'))
    assert.equal(again.status, 409)
    assert.include(again.headers.get('cache-control')!, 'no-store')
    const body: any = await again.json()
    assert.equal(body.errors[0].code, 'E_ALREADY_SIGNED_IN')
    assert.equal(await client.meStatus(), 200)
  })

  test('a browser still signs in and out with redirects', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.signIn(EMAIL, DEMO_PASSWORD)
    const { token } = await visitor.form('/dashboard')
    const signOut = await visitor.post('/logout', { _csrf: token })
    assert.equal(signOut.status, 302)
    assert.equal(signOut.headers.get('location'), '/login')
  })
})

test.group('API sign-in | production', (group) => {
  let server: AppProcess
  let send: Send
  group.setup(async () => {
    server = await AppProcess.start()
    send = sendTo(server.url)
    return async () => {
      await server.stop()
    }
  })

  test('the same flow with __Host- cookies; no token in the logs', async ({ assert }) => {
    const since = server.output.length
    const client = new JsonClient(send)
    const { tokenResponse, token, login, signedInToken } = await jsonSignInFlow(assert, client)

    const [csrfCookie] = tokenResponse.headers.getSetCookie()
    assert.match(csrfCookie, /^__Host-csrf=e%3A/)
    assert.match(csrfCookie, /; Secure/)
    assert.match(csrfCookie, /; HttpOnly/)
    assert.match(csrfCookie, /; SameSite=Lax/)
    assert.match(csrfCookie, /; Path=\//)
    assert.notMatch(csrfCookie, /Domain=/)

    const session = login.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith('__Host-session='))!
    assert.match(session, /; Secure/)
    assert.match(session, /; HttpOnly/)
    assert.match(session, /; SameSite=Lax/)
    assert.isTrue(
      login.headers
        .getSetCookie()
        .some((cookie) => /^__Host-csrf=;|^__Host-csrf=.*Max-Age=0/.test(cookie)),
      'the CSRF cookie is cleared once the session is stored'
    )

    await new Promise((resolve) => setTimeout(resolve, 200))
    const logs = server.output.slice(since)
    assert.notInclude(logs, token)
    assert.notInclude(logs, signedInToken)
  })
})
