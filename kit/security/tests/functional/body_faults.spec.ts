import { gzipSync, deflateSync, brotliCompressSync } from 'node:zlib'
import { test } from '@japa/runner'
import { AppProcess, rawHttp, type RawHttpResponse } from '#kit/testing'

const JSON_BODY = Buffer.from('{"email":"demo@example.com","password":"not-the-password"}')

/**
 * Request bodies a client got wrong, each with the 4xx it must get (and
 * its code). Every one is sent to `POST /login`, where the body parser
 * runs before anything else of the route.
 */
const FAULTS: {
  name: string
  headers: [string, string][]
  body: Buffer
  status: number
  code: string
}[] = [
  {
    name: 'gzip that is not gzip',
    headers: [
      ['content-type', 'application/json'],
      ['content-encoding', 'gzip'],
    ],
    body: JSON_BODY,
    status: 400,
    code: 'E_BAD_BODY_ENCODING',
  },
  {
    name: 'deflate that is not deflate',
    headers: [
      ['content-type', 'application/json'],
      ['content-encoding', 'deflate'],
    ],
    body: JSON_BODY,
    status: 400,
    code: 'E_BAD_BODY_ENCODING',
  },
  {
    name: 'br that is not brotli',
    headers: [
      ['content-type', 'application/json'],
      ['content-encoding', 'br'],
    ],
    body: JSON_BODY,
    status: 400,
    code: 'E_BAD_BODY_ENCODING',
  },
  {
    name: 'a form in gzip that is not gzip',
    headers: [
      ['content-type', 'application/x-www-form-urlencoded'],
      ['content-encoding', 'gzip'],
    ],
    body: Buffer.from('email=demo%40example.com&password=x'),
    status: 400,
    code: 'E_BAD_BODY_ENCODING',
  },
  {
    name: 'truncated gzip',
    headers: [
      ['content-type', 'application/json'],
      ['content-encoding', 'gzip'],
    ],
    body: gzipSync(JSON_BODY).subarray(0, 20),
    status: 400,
    code: 'E_BAD_BODY_ENCODING',
  },
  {
    name: 'truncated deflate',
    headers: [
      ['content-type', 'application/json'],
      ['content-encoding', 'deflate'],
    ],
    body: deflateSync(JSON_BODY).subarray(0, 10),
    status: 400,
    code: 'E_BAD_BODY_ENCODING',
  },
  {
    name: 'truncated brotli',
    headers: [
      ['content-type', 'application/json'],
      ['content-encoding', 'br'],
    ],
    body: brotliCompressSync(JSON_BODY).subarray(0, 12),
    status: 400,
    code: 'E_BAD_BODY_ENCODING',
  },
  {
    name: 'an unknown encoding (foo)',
    headers: [
      ['content-type', 'application/json'],
      ['content-encoding', 'foo'],
    ],
    body: JSON_BODY,
    status: 415,
    code: 'E_ENCODING_UNSUPPORTED',
  },
  {
    name: 'two encodings (gzip, br)',
    headers: [
      ['content-type', 'application/json'],
      ['content-encoding', 'gzip, br'],
    ],
    body: gzipSync(brotliCompressSync(JSON_BODY)),
    status: 415,
    code: 'E_ENCODING_UNSUPPORTED',
  },
  {
    name: 'invalid JSON in valid gzip',
    headers: [
      ['content-type', 'application/json'],
      ['content-encoding', 'gzip'],
    ],
    body: gzipSync('{"email": "demo@example.com", "password":'),
    status: 400,
    code: 'E_BAD_REQUEST',
  },
  {
    name: 'invalid JSON',
    headers: [['content-type', 'application/json']],
    body: Buffer.from('{"email": "demo@example.com", "password":'),
    status: 400,
    code: 'E_BAD_REQUEST',
  },
  {
    name: 'a form sent as JSON (wrong content type)',
    headers: [['content-type', 'application/json']],
    body: Buffer.from('email=demo%40example.com&password=x'),
    status: 422,
    code: 'E_UNPROCESSABLE_ENTITY',
  },
  {
    name: 'multipart without a boundary',
    headers: [['content-type', 'multipart/form-data']],
    body: Buffer.from('email=demo%40example.com'),
    status: 400,
    code: 'E_BAD_REQUEST',
  },
  {
    name: 'JSON sent as multipart',
    headers: [['content-type', 'multipart/form-data; boundary=xyz']],
    body: JSON_BODY,
    status: 400,
    code: 'E_INVALID_MULTIPART_REQUEST',
  },
  {
    name: 'truncated multipart',
    headers: [['content-type', 'multipart/form-data; boundary=xyz']],
    body: Buffer.from('--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\ndemo@exa'),
    status: 400,
    code: 'E_INVALID_MULTIPART_REQUEST',
  },
  {
    name: 'a gzip bomb (1 KB inflating past the 1 MB limit)',
    headers: [
      ['content-type', 'application/json'],
      ['content-encoding', 'gzip'],
    ],
    body: gzipSync(`{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`),
    status: 413,
    code: 'E_REQUEST_ENTITY_TOO_LARGE',
  },
  {
    name: 'an oversized JSON body',
    headers: [['content-type', 'application/json']],
    body: Buffer.from(`{"a":"${'x'.repeat(1024 * 1024)}"}`),
    status: 413,
    code: 'E_REQUEST_ENTITY_TOO_LARGE',
  },
]

/**
 * A client error with nothing about the server's insides in it.
 */
function assertSafeClientError(assert: any, response: RawHttpResponse, status: number) {
  assert.equal(response.status, status)
  assert.notMatch(response.body, /\bat .+:\d+:\d+/, 'a stack frame')
  assert.notInclude(response.body, 'node_modules')
  assert.notMatch(response.body, /zlib|Z_DATA_ERROR|Z_BUF_ERROR|incorrect header check/i)
}

let server: AppProcess

test.group('Faults | malformed request bodies', (group) => {
  group.setup(async () => {
    server = await AppProcess.start()
    return async () => {
      await server.stop()
    }
  })

  test('{name}: {status} {code}, in every format, never logged as an error')
    .with(FAULTS)
    .run(async ({ assert }, { headers, body, status, code }) => {
      const since = server.output.length

      const json = await rawHttp(server.url, {
        method: 'POST',
        path: '/login',
        headers: [['accept', 'application/json'], ...headers],
        body,
      })
      assertSafeClientError(assert, json, status)
      assert.match(json.headers['content-type'], /^application\/json/)
      const jsonBody = JSON.parse(json.body)
      assert.equal(jsonBody.errors[0].code, code)
      assert.equal(jsonBody.requestId, json.headers['x-request-id'])

      const problem = await rawHttp(server.url, {
        method: 'POST',
        path: '/login',
        headers: [['accept', 'application/problem+json'], ...headers],
        body,
      })
      assertSafeClientError(assert, problem, status)
      assert.match(problem.headers['content-type'], /^application\/problem\+json/)
      assert.equal(JSON.parse(problem.body).code, code)

      const html = await rawHttp(server.url, {
        method: 'POST',
        path: '/login',
        headers: [['accept', 'text/html'], ...headers],
        body,
      })
      assertSafeClientError(assert, html, status)
      assert.match(html.headers['content-type'], /^text\/html/)

      await rawHttp(server.url, { path: '/health' })
      const errors = server.logLines(since).filter((line) => line.level >= 50)
      assert.deepEqual(errors, [], 'error log lines')
    })

  test('a well-formed gzip body is decoded and reaches the route', async ({ assert }) => {
    const response = await rawHttp(server.url, {
      method: 'POST',
      path: '/login',
      headers: [
        ['accept', 'application/json'],
        ['content-type', 'application/json'],
        ['content-encoding', 'gzip'],
      ],
      body: gzipSync(JSON_BODY),
    })
    assert.equal(response.status, 403)
    assert.equal(JSON.parse(response.body).errors[0].code, 'E_BAD_CSRF_TOKEN')
  })

  test('30 requests with 30 different bad encodings log at most the throttle limit', async ({
    assert,
  }) => {
    const since = server.output.length
    for (let index = 0; index < 30; index++) {
      const response = await rawHttp(server.url, {
        method: 'POST',
        path: '/login',
        headers: [
          ['accept', 'application/json'],
          ['content-type', 'application/json'],
          ['content-encoding', `x-bogus-${index}-${'z'.repeat(index * 7)}`],
        ],
        body: JSON_BODY,
      })
      assert.equal(response.status, 415)
    }
    await rawHttp(server.url, { path: '/health' })
    const reports = server.logLines(since).filter((line) => line.level >= 40)
    assert.isAtLeast(reports.length, 1)
    assert.isAtMost(reports.length, 10)
    assert.notMatch(JSON.stringify(reports), /x-bogus/)
  })

  test('30 errors of one route whose message the client varies log at most the throttle limit', async ({
    assert,
  }) => {
    const since = server.output.length
    for (let index = 0; index < 30; index++) {
      const response = await rawHttp(server.url, {
        path: `/__test__/errors/status/409?message=conflict-${index}-${'v'.repeat(index)}`,
        headers: [['accept', 'application/json']],
      })
      assert.equal(response.status, 409)
    }
    await rawHttp(server.url, { path: '/health' })
    const reports = server.logLines(since).filter((line) => /conflict-/.test(line.msg))
    assert.isAtLeast(reports.length, 1)
    assert.isAtMost(reports.length, 10)
  })

  test('30 different bad bodies of each kind log at most the throttle limit', async ({
    assert,
  }) => {
    const since = server.output.length
    const kinds: [string, string][] = [
      ['application/json', 'gzip'],
      ['application/json', 'identity'],
      ['multipart/form-data; boundary=xyz', 'identity'],
    ]
    for (const [contentType, encoding] of kinds) {
      for (let index = 0; index < 30; index++) {
        await rawHttp(server.url, {
          method: 'POST',
          path: '/login',
          headers: [
            ['accept', 'application/json'],
            ['content-type', contentType],
            ['content-encoding', encoding],
          ],
          body: Buffer.from(`{"bad-${index}": ${'['.repeat(index)}`),
        })
      }
    }
    await rawHttp(server.url, { path: '/health' })
    const reports = server.logLines(since).filter((line) => line.level >= 40)
    assert.isAtMost(reports.length, 10 * kinds.length)
    assert.deepEqual(
      reports.filter((line) => line.level >= 50),
      [],
      'error log lines'
    )
  })
})

/**
 * JSON text with `levels` arrays inside an object: `levels + 1` levels.
 */
function nestedJson(levels: number) {
  return `{"email":"demo@example.com","a":${'['.repeat(levels)}${']'.repeat(levels)}}`
}

/**
 * A multipart body with one field whose name nests `path` under "a".
 */
function nestedMultipart(path: string) {
  return Buffer.from(
    `--xyz\r\nContent-Disposition: form-data; name="a${path}"\r\n\r\n1\r\n` +
      `--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\ndemo@example.com\r\n--xyz--\r\n`
  )
}

/**
 * Bodies nested deeper than the 64 levels config/bodyparser.ts allows.
 */
const TOO_DEEP = [
  {
    name: 'JSON nested 200,001 levels (1 MB)',
    contentType: 'application/json',
    body: Buffer.from(nestedJson(200_000)),
  },
  {
    name: 'JSON:API nested 3,001 levels',
    contentType: 'application/vnd.api+json',
    body: Buffer.from(nestedJson(3000)),
  },
  {
    name: 'JSON nested 65 levels',
    contentType: 'application/json',
    body: Buffer.from(nestedJson(64)),
  },
  {
    name: 'a multipart field nested 3,001 levels',
    contentType: 'multipart/form-data; boundary=xyz',
    body: nestedMultipart('[x]'.repeat(3000)),
  },
  {
    name: 'a multipart field nested 65 levels with dots',
    contentType: 'multipart/form-data; boundary=xyz',
    body: nestedMultipart('.x'.repeat(64)),
  },
]

/**
 * The Accept headers of the four error formats.
 */
const FORMATS = [
  'application/json',
  'application/vnd.api+json',
  'application/problem+json',
  'text/html',
]

test.group('Faults | deeply nested bodies', (group) => {
  let nested: AppProcess
  group.setup(async () => {
    nested = await AppProcess.start()
    return async () => {
      await nested.stop()
    }
  })

  test('{name}: 400 E_BODY_TOO_DEEP with the kit message in every format, the server unharmed')
    .with(TOO_DEEP)
    .run(async ({ assert }, { contentType, body }) => {
      const since = nested.output.length
      for (const accept of FORMATS) {
        const response = await rawHttp(nested.url, {
          method: 'POST',
          path: '/login',
          headers: [
            ['accept', accept],
            ['content-type', contentType],
          ],
          body,
        })
        assertSafeClientError(assert, response, 400)
        assert.notInclude(response.body, 'Maximum call stack')
        assert.include(response.body, 'The request body is nested too deeply: at most 64 levels')
        if (accept !== 'text/html') {
          const parsed = JSON.parse(response.body)
          const code = accept === 'application/problem+json' ? parsed.code : parsed.errors[0].code
          assert.equal(code, 'E_BODY_TOO_DEEP', accept)
        }
      }

      const health = await rawHttp(nested.url, { path: '/health' })
      assert.equal(health.status, 200)
      assert.isNull(nested.exitCode)
      const errors = nested.logLines(since).filter((line) => line.level >= 50)
      assert.deepEqual(errors, [], 'error log lines')
    })

  test('{name} is read and reaches the route')
    .with([
      {
        name: 'JSON nested 64 levels',
        contentType: 'application/json',
        body: Buffer.from(nestedJson(63)),
      },
      {
        name: 'a multipart field nested 64 levels',
        contentType: 'multipart/form-data; boundary=xyz',
        body: nestedMultipart('[x]'.repeat(63)),
      },
      {
        name: 'a form field nested 3,001 levels (the query-string parser keeps 5)',
        contentType: 'application/x-www-form-urlencoded',
        body: Buffer.from(`a${'[x]'.repeat(3000)}=1&email=demo%40example.com`),
      },
    ])
    .run(async ({ assert }, { contentType, body }) => {
      const response = await rawHttp(nested.url, {
        method: 'POST',
        path: '/login',
        headers: [
          ['accept', 'application/json'],
          ['content-type', contentType],
        ],
        body,
      })
      assert.equal(response.status, 403)
      assert.equal(JSON.parse(response.body).errors[0].code, 'E_BAD_CSRF_TOKEN')
    })
})
