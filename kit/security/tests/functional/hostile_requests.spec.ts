import { test } from '@japa/runner'
import {
  AppProcess,
  nodeRequest as rawRequest,
  type NodeResponse as RawResponse,
} from '#kit/testing'

/**
 * A 4xx answer with nothing about the server's insides in it.
 */
function assertClientError(assert: any, response: RawResponse, status?: number) {
  if (status) {
    assert.equal(response.status, status)
  }
  assert.isAtLeast(response.status, 400)
  assert.isBelow(response.status, 500)
  assert.notMatch(response.body, /\bat .+:\d+:\d+/, 'a stack frame')
  assert.notInclude(response.body, 'node_modules')
}

/**
 * The JSON error body of the kit: `{ errors: [{ status, code, message }], requestId }`.
 */
function assertJsonError(assert: any, response: RawResponse, status: number, code: string) {
  assertClientError(assert, response, status)
  assert.match(response.contentType, /^application\/json/)
  const body = JSON.parse(response.body)
  assert.deepEqual(Object.keys(body).sort(), ['errors', 'requestId'])
  assert.equal(body.errors[0].status, status)
  assert.equal(body.errors[0].code, code)
}

const JSON_CLIENT = { accept: 'application/json' }

const ONE_MEGABYTE = 1024 * 1024

let server: AppProcess

test.group('Faults | hostile requests', (group) => {
  group.setup(async () => {
    server = await AppProcess.start()
    return async () => {
      await server.stop()
    }
  })

  test('headers over 16 KB in all are refused with 431', async ({ assert }) => {
    const response = await rawRequest(server, {
      path: '/',
      headers: { 'x-filler': 'a'.repeat(20_000) },
    })
    assertClientError(assert, response, 431)
  })

  test('a {length}-character URL gets {status}')
    .with([
      { length: 8000, status: 404 },
      { length: 20_000, status: 431 },
    ])
    .run(async ({ assert }, { length, status }) => {
      const response = await rawRequest(server, {
        path: `/${'a'.repeat(length)}`,
        headers: JSON_CLIENT,
      })
      assertClientError(assert, response, status)
    })

  test('a long query string is ignored by a page that reads none', async ({ assert }) => {
    const response = await rawRequest(server, { path: `/?q=${'a'.repeat(8000)}` })
    assert.equal(response.status, 200)
  })

  /**
   * AdonisJS 7 refuses a URL it cannot decode before any middleware runs;
   * "config/app.ts" (onBadUrl) answers it with the kit's 400 E_BAD_URL.
   */
  test('malformed percent-encoding in the path: {$self}')
    .with(['/%E0%A4%A', '/%', '/%zz', '/login%E0%A4%A', '/css/%E0%A4%A'])
    .run(async ({ assert }, path) => {
      const json = await rawRequest(server, { path, headers: JSON_CLIENT })
      assertJsonError(assert, json, 400, 'E_BAD_URL')
      assert.match(JSON.parse(json.body).requestId, /^[0-9a-f]{32}$/)

      const problem = await rawRequest(server, {
        path,
        headers: { accept: 'application/problem+json' },
      })
      assert.equal(problem.status, 400)
      assert.match(problem.contentType, /^application\/problem\+json/)
      assert.equal(JSON.parse(problem.body).code, 'E_BAD_URL')

      const html = await rawRequest(server, { path, headers: { accept: 'text/html' } })
      assertClientError(assert, html, 400)
      assert.match(html.contentType, /^text\/html/)
      assert.include(html.body, '<h1>Bad Request</h1>')
    })

  test('a NUL byte in the path decodes and is a plain 404', async ({ assert }) => {
    const json = await rawRequest(server, { path: '/%00', headers: JSON_CLIENT })
    assertJsonError(assert, json, 404, 'E_ROUTE_NOT_FOUND')

    const html = await rawRequest(server, { path: '/%00', headers: { accept: 'text/html' } })
    assertClientError(assert, html, 404)
    assert.include(html.body, '<h1>Page not found</h1>')
  })

  test('encoded dot segments do not leave public/: {$self}')
    .with([
      '/css/..%2f..%2fpackage.json',
      '/..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/css/%2e%2e/%2e%2e/package.json',
      '/css/..%5c..%5cpackage.json',
    ])
    .run(async ({ assert }, path) => {
      const response = await rawRequest(server, { path })
      assertClientError(assert, response, 404)
      assert.notInclude(response.body, 'adonis-starter-kit')
    })

  test('malformed percent-encoding never reaches a route param, and is fine in a query string', async ({
    assert,
  }) => {
    const response = await rawRequest(server, {
      path: '/__test__/faults/param/%E0%A4%A',
      headers: JSON_CLIENT,
    })
    assertJsonError(assert, response, 400, 'E_BAD_URL')

    const query = await rawRequest(server, { path: '/?q=%E0%A4%A' })
    assert.equal(query.status, 200)
  })

  test('an invalid JSON body is a 400 with a JSON error for JSON clients', async ({ assert }) => {
    const response = await rawRequest(server, {
      path: '/login',
      method: 'POST',
      headers: { ...JSON_CLIENT, 'content-type': 'application/json' },
      body: '{"email": "demo@example.com", "password":',
    })
    assertJsonError(assert, response, 400, 'E_BAD_REQUEST')
    assert.match(JSON.parse(response.body).errors[0].message, /JSON/)
  })

  test('a JSON body that is not an object or an array is a 422', async ({ assert }) => {
    const response = await rawRequest(server, {
      path: '/login',
      method: 'POST',
      headers: { ...JSON_CLIENT, 'content-type': 'application/json' },
      body: '"just a string"',
    })
    assertJsonError(assert, response, 422, 'E_UNPROCESSABLE_ENTITY')
  })

  test('an invalid JSON body from a browser is a 400 page', async ({ assert }) => {
    const response = await rawRequest(server, {
      path: '/login',
      method: 'POST',
      headers: { 'accept': 'text/html', 'content-type': 'application/json' },
      body: '{nope',
    })
    assertClientError(assert, response, 400)
    assert.match(response.contentType, /^text\/html/)
  })

  test('an oversized body is a 413: {name}')
    .with([
      {
        name: 'JSON with a content-length',
        headers: { 'content-type': 'application/json' },
        body: `{"a":"${'x'.repeat(ONE_MEGABYTE)}"}`,
      },
      {
        name: 'JSON in chunks, no content-length',
        headers: { 'content-type': 'application/json' },
        body: ['{"a":"', ...Array.from({ length: 17 }, () => 'x'.repeat(64 * 1024)), '"}'],
      },
      {
        name: 'a form',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `a=${'x'.repeat(ONE_MEGABYTE)}`,
      },
    ])
    .run(async ({ assert }, { headers, body }) => {
      const response = await rawRequest(server, {
        path: '/login',
        method: 'POST',
        headers: { ...JSON_CLIENT, ...headers },
        body,
      })
      assertJsonError(assert, response, 413, 'E_REQUEST_ENTITY_TOO_LARGE')
    })

  test('a method without a route: {$self}')
    .with([
      'PROPFIND /',
      'DELETE /',
      'PUT /',
      'PATCH /login',
      'OPTIONS /',
      'TRACE /',
      'DELETE /health',
      'POST /health',
      'MKCOL /login',
      'FOO /',
    ])
    .run(async ({ assert }, line) => {
      const [method, path] = line.split(' ')
      const response = await rawRequest(server, { method, path, headers: JSON_CLIENT })
      assertClientError(assert, response)
      assert.include([400, 404, 405], response.status)
    })

  test('odd Accept header: {$self}')
    .with([
      'application/json;q=abc',
      '*/*;q=0',
      'text/html;q=0, application/json;q=0',
      'application/json;q=1e999',
      'application/json;q=-1',
      'application/json;q=0.5;q=0.2',
      ';;;',
      ',,,',
      '*/json',
      'application/*',
      'text/html;level=1;q=0.9, */*;q=0.000001',
      Array.from({ length: 300 }, (_, i) => `type${i}/sub${i};q=0.${i % 10}`).join(', '),
    ])
    .run(async ({ assert }, accept) => {
      for (const [path, status] of [
        ['/', 200],
        ['/health', 200],
        ['/no/such/page', 404],
        ['/__test__/errors/status/409', 409],
      ] as const) {
        const response = await rawRequest(server, { path, headers: { accept } })
        assert.equal(response.status, status, `${path} with Accept: ${accept.slice(0, 40)}`)
        assert.isNotEmpty(response.contentType)
        assert.isNotEmpty(response.body)
        assert.notMatch(response.body, /\bat .+:\d+:\d+/, 'a stack frame')
      }
    })

  test('after all of that, the server is up and logged no error', async ({ assert }) => {
    const home = await rawRequest(server, { path: '/' })
    assert.equal(home.status, 200)
    assert.isNull(server.exitCode)
    assert.deepEqual(
      server.logLines().filter((line) => line.level >= 50),
      [],
      'error or fatal log lines'
    )
  })
})
