import { test } from '@japa/runner'
import User from '#models/user'
import {
  AppProcess,
  nodeRequest as rawRequest,
  EXPECTED_REFERRER_POLICY,
  assertPagePolicy,
  parsePolicy,
} from '#kit/testing'

const HTML = { accept: 'text/html' }

test.group('Content-Security-Policy | production pages', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start()
    return async () => {
      await server.stop()
    }
  })

  test('{path} carries the policy and a nonce of its own')
    .with([{ path: '/' }, { path: '/login' }, { path: '/login?next=%2Fdashboard' }])
    .run(async ({ assert }, { path }) => {
      const first = await rawRequest(server, { path, headers: HTML })
      const second = await rawRequest(server, { path, headers: HTML })

      assert.equal(first.status, 200)
      const nonce = assertPagePolicy(assert, first.headers, first.body)
      assert.notEqual(assertPagePolicy(assert, second.headers, second.body), nonce)
    })

  test('the {status} status page (shield ran) carries the policy, its <style> the nonce')
    .with([400, 401, 403, 404, 418, 419, 429, 500, 503].map((status) => ({ status })))
    .run(async ({ assert }, { status }) => {
      const page = await rawRequest(server, {
        path: `/__test__/errors/status/${status}`,
        headers: HTML,
      })

      assert.equal(page.status, status)
      assert.include(page.body, '<style nonce=')
      assertPagePolicy(assert, page.headers, page.body)
      assert.equal(
        String(page.headers['content-security-policy']).split('nonce-').length,
        2,
        'one header, one nonce'
      )
    })

  /**
   * Pages shield's middleware never saw (unknown or malformed URLs, a body
   * the parser refuses), which the kit gives the same policy and a nonce
   * of its own, and the fallback pages.
   */
  test('{name}: the {status} page carries the policy and a matching nonce')
    .with([
      { name: 'an unknown URL', status: 404, path: '/no-such-page' },
      { name: 'an unknown URL under /css', status: 404, path: '/css/missing.css' },
      { name: 'a malformed URL (onBadUrl)', status: 400, path: '/%E0%A4%A' },
      { name: 'a malformed URL of a route', status: 400, path: '/login%E0%A4%A' },
      {
        name: 'an invalid JSON body (the body parser runs before shield)',
        status: 400,
        path: '/login',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{nope',
      },
      { name: 'a crash in a route', status: 500, path: '/__test__/errors/crash' },
      {
        name: 'a status page that cannot render (the fallback page)',
        status: 503,
        path: '/__test__/faults/status-page-throws/503',
      },
      {
        name: 'an error whose own handle() throws (the last-resort page)',
        status: 409,
        path: '/__test__/faults/handle-throws',
      },
    ])
    .run(async ({ assert }, { status, path, method, headers, body }) => {
      const page = await rawRequest(server, {
        path,
        method,
        headers: { ...HTML, ...headers },
        body,
      })

      assert.equal(page.status, status)
      assert.include(page.body, '<style nonce=')
      assertPagePolicy(assert, page.headers, page.body)
    })

  test('JSON errors and static files carry the Referrer-Policy and request id too', async ({
    assert,
  }) => {
    const json = await rawRequest(server, {
      path: '/no-such-page',
      headers: { accept: 'application/json' },
    })
    assert.equal(json.status, 404)
    assert.equal(json.headers['referrer-policy'], EXPECTED_REFERRER_POLICY)

    const badUrl = await rawRequest(server, {
      path: '/%E0%A4%A',
      headers: { accept: 'application/json' },
    })
    assert.equal(badUrl.status, 400)
    assert.equal(badUrl.headers['referrer-policy'], EXPECTED_REFERRER_POLICY)

    const css = await rawRequest(server, { path: '/css/app.css' })
    assert.equal(css.status, 200)
    assert.equal(css.headers['referrer-policy'], EXPECTED_REFERRER_POLICY)
    assert.match(String(css.headers['x-request-id']), /^[0-9a-f]{32}$/)

    const notModified = await rawRequest(server, {
      path: '/css/app.css',
      headers: { 'if-none-match': String(css.headers.etag) },
    })
    assert.equal(notModified.status, 304)
    assert.equal(notModified.headers['referrer-policy'], EXPECTED_REFERRER_POLICY)
    assert.match(String(notModified.headers['x-request-id']), /^[0-9a-f]{32}$/)
  })

  test('an unrouted error in {accept} allows nothing and makes no nonce')
    .with([
      { accept: 'application/json' },
      { accept: 'application/vnd.api+json' },
      { accept: 'application/problem+json' },
    ])
    .run(async ({ assert }, { accept }) => {
      const response = await rawRequest(server, { path: '/no-such-page', headers: { accept } })
      assert.equal(response.status, 404)
      assert.equal(
        response.headers['content-security-policy'],
        "default-src 'none'; frame-ancestors 'none'"
      )

      /**
       * The same URL as a page still gets the page policy and a nonce.
       */
      const page = await rawRequest(server, { path: '/no-such-page', headers: HTML })
      assert.equal(page.status, 404)
      assertPagePolicy(assert, page.headers, page.body)
    })

  test('a routed JSON error keeps the policy shield gave it', async ({ assert }) => {
    const response = await rawRequest(server, {
      path: '/api/me',
      headers: { accept: 'application/json' },
    })
    assert.equal(response.status, 401)
    const policy = parsePolicy(String(response.headers['content-security-policy']))
    assert.isDefined(policy['default-src'])
    assert.isDefined(policy['style-src'])
    assert.notEqual(
      response.headers['content-security-policy'],
      "default-src 'none'; frame-ancestors 'none'"
    )
  })
})

test.group('Content-Security-Policy | signed-in pages', () => {
  test('{path} as {email} carries the policy')
    .with([
      { path: '/dashboard', email: 'demo@example.com', status: 200 },
      { path: '/sessions', email: 'demo@example.com', status: 200 },
      { path: '/admin', email: 'admin@example.com', status: 200 },
      { path: '/admin', email: 'demo@example.com', status: 403 },
      { path: '/billing', email: 'unverified@example.com', status: 403 },
      { path: '/', email: 'demo@example.com', status: 200 },
    ])
    .run(async ({ assert, client }, { path, email, status }) => {
      const user = await User.findByOrFail('email', email)
      const response = await client.get(path).accepting('html').loginAs(user)

      response.assertStatus(status)
      assertPagePolicy(assert, response.headers(), response.text())
    })

  test('no inline script is allowed outside development (no nonce in script-src)', async ({
    assert,
    client,
  }) => {
    const response = await client.get('/login').accepting('html')
    const policy = parsePolicy(response.header('content-security-policy')!)
    assert.deepEqual(policy['script-src'], ["'self'"])
  })
})
