import { test } from '@japa/runner'
import { AppProcess } from '#kit/testing'
import { statusTitle } from '#kit/errors/src/http_error'
import { DUPLICATE_USER } from '#kit/testing/fixtures/error_routes'

/**
 * The real server process in production mode (NODE_ENV=production): status
 * pages on, debug off, JSON log lines on stdout.
 */
let server: AppProcess

const STATUS_PAGES = [
  { status: 401, heading: 'Please sign in' },
  { status: 403, heading: 'Access denied' },
  { status: 404, heading: 'Page not found' },
  { status: 419, heading: 'Page expired' },
  { status: 429, heading: 'Too many requests' },
  { status: 503, heading: 'Service unavailable' },
  { status: 418, heading: 'I&#x27;m a Teapot' },
  { status: 500, heading: 'Something went wrong' },
]

const HTML_ACCEPTS = ['text/html', '*/*', 'text/html,application/xhtml+xml,*/*;q=0.8', null]

/**
 * Nothing that points at the server's insides.
 */
function assertNoInternals(assert: any, text: string) {
  assert.notMatch(text, /\bat .+:\d+:\d+/, 'a stack frame')
  assert.notInclude(text, '/srv/app')
  assert.notInclude(text, 'SQLITE')
  assert.notInclude(text, 'secret_table')
  assert.notInclude(text, 'node_modules')
}

test.group('Errors | production mode', (group) => {
  group.setup(async () => {
    server = await AppProcess.start()
    return async () => {
      await server.stop()
    }
  })

  for (const { status, heading } of STATUS_PAGES) {
    for (const accept of HTML_ACCEPTS) {
      test(`${status} status page for Accept: ${accept ?? '(none)'}`, async ({ assert }) => {
        const response = await server.fetch(
          `/__test__/errors/status/${status}`,
          accept ? { headers: { accept } } : {}
        )
        const html = await response.text()
        const requestId = response.headers.get('x-request-id')!

        assert.equal(response.status, status)
        assert.match(response.headers.get('content-type')!, /^text\/html/)
        assert.include(html, `<h1>${heading}</h1>`)
        assert.include(html, `Error ${status}`)
        assert.match(html, new RegExp(`Reference:\\s*<code>${requestId}</code>`))
        assert.include(html, '<a href="/">Go to the home page</a>')
        assert.include(html, '<html lang="en">')
        assert.notInclude(html, '<script')
        assertNoInternals(assert, html)
      })
    }

    test(`${status} as JSON`, async ({ assert }) => {
      const response = await server.fetch(`/__test__/errors/status/${status}`, {
        headers: { accept: 'application/json' },
      })
      const body: any = await response.json()

      assert.equal(response.status, status)
      assert.match(response.headers.get('content-type')!, /^application\/json/)
      assert.deepEqual(Object.keys(body).sort(), ['errors', 'requestId'])
      assert.deepEqual(Object.keys(body.errors[0]).sort(), ['code', 'message', 'status'])
      assert.equal(body.errors[0].status, status)
      assert.equal(body.requestId, response.headers.get('x-request-id'))
      assert.equal(body.errors[0].message, status >= 500 ? statusTitle(status) : `Status ${status}`)
    })

    test(`${status} as JSON:API`, async ({ assert }) => {
      const response = await server.fetch(`/__test__/errors/status/${status}`, {
        headers: { accept: 'application/vnd.api+json' },
      })
      const body: any = await response.json()

      assert.equal(response.status, status)
      assert.match(response.headers.get('content-type')!, /^application\/vnd\.api\+json/)
      assert.deepEqual(Object.keys(body).sort(), ['errors', 'meta'])
      assert.deepEqual(Object.keys(body.errors[0]).sort(), ['code', 'detail', 'status', 'title'])
      assert.equal(body.errors[0].status, String(status))
      assert.equal(body.meta.requestId, response.headers.get('x-request-id'))
    })

    test(`${status} as problem+json`, async ({ assert }) => {
      const response = await server.fetch(`/__test__/errors/status/${status}?token=abc`, {
        headers: { accept: 'application/problem+json' },
      })
      const body: any = await response.json()

      assert.equal(response.status, status)
      assert.match(response.headers.get('content-type')!, /^application\/problem\+json/)
      assert.deepEqual(Object.keys(body).sort(), [
        'code',
        'detail',
        'instance',
        'requestId',
        'status',
        'title',
        'type',
      ])
      assert.equal(body.status, status)
      assert.equal(body.instance, `/__test__/errors/status/${status}`)
    })
  }

  test('a 5xx never sends its message, stack, paths or SQL: {$self}')
    .with(['text/html', 'application/json', 'application/vnd.api+json', 'application/problem+json'])
    .run(async ({ assert }, accept) => {
      const response = await server.fetch('/__test__/errors/crash', { headers: { accept } })
      const text = await response.text()

      assert.equal(response.status, 500)
      assertNoInternals(assert, text)
      assert.notInclude(text, 'no such table')
    })

  test('a <script> in a 4xx message is escaped on the {$self} page')
    .with([401, 403, 404, 419, 429, 418, 400])
    .run(async ({ assert }, status) => {
      const message = encodeURIComponent('<script>alert("x")</script>')
      const response = await server.fetch(`/__test__/errors/status/${status}?message=${message}`, {
        headers: { accept: 'text/html' },
      })
      const html = await response.text()

      assert.equal(response.status, status)
      assert.notInclude(html, '<script>')
      assert.include(html, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    })

  test('JSON bodies carry a <script> message as data, not markup', async ({ assert }) => {
    const response = await server.fetch('/__test__/errors/status/400?message=%3Cscript%3E', {
      headers: { accept: 'application/json' },
    })
    assert.match(response.headers.get('content-type')!, /^application\/json/)
    const body: any = await response.json()
    assert.equal(body.errors[0].message, '<script>')
  })

  test('anything thrown is a generic 500: {$self}')
    .with([
      'string',
      'null',
      'undefined',
      'number',
      'plain-object',
      'status-200',
      'status-1000',
      'status-abc',
      'object-status-200',
    ])
    .run(async ({ assert }, kind) => {
      for (const accept of ['text/html', 'application/json']) {
        const response = await server.fetch(`/__test__/errors/throw/${kind}`, {
          headers: { accept },
        })
        const text = await response.text()

        assert.equal(response.status, 500)
        assert.notInclude(text, 'a plain <b>string</b>')
        assert.notInclude(text, 'a plain object')
        assert.notInclude(text, 'status 200')
      }
      const home = await server.fetch('/')
      assert.equal(home.status, 200)
    })

  test('a route rendering a missing view is a clean 500 page', async ({ assert }) => {
    const response = await server.fetch('/__test__/errors/broken-view', {
      headers: { accept: 'text/html' },
    })
    const html = await response.text()

    assert.equal(response.status, 500)
    assert.include(html, '<h1>Something went wrong</h1>')
    assert.notInclude(html, '__missing__')
  })
})

test.group('Errors | production reporting', (group) => {
  group.setup(async () => {
    server = await AppProcess.start()
    return async () => {
      await server.stop()
    }
  })

  test('a 5xx is logged at error level with the stack and context', async ({ assert }) => {
    const response = await server.fetch('/__test__/errors/crash?password=hunter2', {
      headers: { 'accept': 'application/json', 'cookie': 'a=b', 'x-request-id': 'req-crash-1' },
    })
    assert.equal(response.headers.get('x-request-id'), 'req-crash-1')

    await server.waitForOutput(/req-crash-1.*SQLITE_ERROR|SQLITE_ERROR.*req-crash-1/)
    const line = server.logLines().find((entry) => entry.request_id === 'req-crash-1')!

    assert.equal(line.level, 50)
    assert.include(line.err.stack, 'SQLITE_ERROR')
    assert.equal(line.method, 'GET')
    assert.equal(line.path, '/__test__/errors/crash')
    assert.isString(line.ip)
    assert.notInclude(JSON.stringify(line), 'hunter2')
  })

  test('a database error is logged with its code and constraint, never the query values', async ({
    assert,
  }) => {
    const response = await server.fetch('/__test__/errors/duplicate-user', {
      headers: { 'accept': 'application/json', 'x-request-id': 'req-db-1' },
    })
    assert.equal(response.status, 500)
    assertNoInternals(assert, await response.text())

    await server.waitForOutput(/req-db-1/)
    const line = server.logLines().find((entry) => entry.request_id === 'req-db-1')!
    assert.equal(line.level, 50)
    assert.equal(line.err.code, 'SQLITE_CONSTRAINT_UNIQUE')
    assert.match(line.err.constraint, /email/)
    assert.include(line.msg, 'SQLITE_CONSTRAINT_UNIQUE')
    assert.match(line.err.stack, /^\s+at /)
    const text = JSON.stringify(line)
    for (const secret of [DUPLICATE_USER.email, '$scrypt$', 'ZHVwbGljYXRlLWhhc2g', 'insert into']) {
      assert.notInclude(text, secret)
    }
  })

  test('a 4xx is logged at warn level without a stack', async ({ assert }) => {
    await server.fetch('/__test__/errors/status/403', { headers: { 'x-request-id': 'req-403-1' } })

    await server.waitForOutput(/req-403-1/)
    const line = server.logLines().find((entry) => entry.request_id === 'req-403-1')!
    assert.equal(line.level, 40)
    assert.notProperty(line, 'err')
  })

  test('ignored statuses and unknown routes are not logged', async ({ assert }) => {
    await server.fetch('/__test__/errors/status/401', { headers: { 'x-request-id': 'req-401-1' } })
    await server.fetch('/__test__/errors/status/422', { headers: { 'x-request-id': 'req-422-1' } })
    await server.fetch('/no/such/page', { headers: { 'x-request-id': 'req-404-1' } })
    await server.fetch('/__test__/errors/status/409', { headers: { 'x-request-id': 'req-marker' } })

    await server.waitForOutput(/req-marker/)
    assert.notInclude(server.output, 'req-401-1')
    assert.notInclude(server.output, 'req-422-1')
    assert.notInclude(server.output, 'req-404-1')
  })

  test('a token theft error is reported although 401 is ignored', async ({ assert }) => {
    await server.fetch('/__test__/errors/theft', { headers: { 'x-request-id': 'req-theft-1' } })

    await server.waitForOutput(/req-theft-1/)
    const line = server.logLines().find((entry) => entry.request_id === 'req-theft-1')!
    assert.equal(line.level, 40)
    assert.equal(line.event, 'session.theft_detected')
    assert.equal(line.userId, 7)
    assert.equal(line.sessionFamily, 'family-1')
  })

  test('self-reported exceptions write their own line', async ({ assert }) => {
    await server.fetch('/__test__/errors/self-reported', {
      headers: { 'x-request-id': 'req-self-1' },
    })

    await server.waitForOutput(/reported by the exception itself/)
    const lines = server.logLines().filter((entry) => entry.request_id === 'req-self-1')
    assert.lengthOf(lines, 1)
    assert.isTrue(lines[0].selfReported)
  })

  test('a message with CR/LF cannot forge a log line', async ({ assert }) => {
    const forged = encodeURIComponent('oops\n{"level":30,"msg":"forged"}\r\nmore')
    await server.fetch(`/__test__/errors/status/409?message=${forged}`, {
      headers: { 'x-request-id': 'req-crlf-1' },
    })

    await server.waitForOutput(/req-crlf-1/)
    assert.isFalse(server.logLines().some((entry) => entry.msg === 'forged'))
    const line = server.logLines().find((entry) => entry.request_id === 'req-crlf-1')!
    assert.notMatch(line.msg, /[\r\n]/)
  })
})

test.group('Errors | report throttling', () => {
  test('a burst of identical errors collapses into a count', async ({ assert }) => {
    const throttled = await AppProcess.start()
    try {
      for (let i = 0; i < 25; i++) {
        await throttled.fetch('/__test__/errors/crash', { headers: { accept: 'application/json' } })
      }
      await throttled.fetch('/__test__/errors/status/409', {
        headers: { 'x-request-id': 'req-end' },
      })
      await throttled.waitForOutput(/req-end/)

      const crashLines = throttled
        .logLines()
        .filter((entry) => entry.err?.message?.includes('SQLITE_ERROR'))
      assert.lengthOf(crashLines, 10)
    } finally {
      await throttled.stop()
    }

    const summary = throttled
      .logLines()
      .find((entry) => /^suppressed \d+ similar errors$/.test(entry.msg))
    assert.exists(summary, throttled.output)
    assert.equal(summary!.msg, 'suppressed 15 similar errors')
    assert.equal(summary!.suppressed, 15)
    assert.equal(summary!.level, 50)
    assert.equal(summary!.route, '/__test__/errors/crash')
  }).timeout(60_000)
})
