import { test } from '@japa/runner'

/**
 * The in-process server, asked with fetch: redirects are not followed, so a
 * 303 shows as a 303.
 */
function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return fetch(`http://localhost:${process.env.PORT}${path}`, {
    method,
    headers,
    redirect: 'manual',
  })
}

const PARAMETERIZED = [
  { accept: 'application/json; charset=utf-8', type: /^application\/json/ },
  { accept: 'application/json;charset=UTF-8', type: /^application\/json/ },
  { accept: 'application/json; version=2', type: /^application\/json/ },
  {
    accept: 'application/json; charset=utf-8; q=0.9, text/html; q=0.5',
    type: /^application\/json/,
  },
  { accept: 'application/problem+json; charset=utf-8', type: /^application\/problem\+json/ },
  {
    accept: 'application/vnd.api+json; profile="https://example.com/profiles/last-modified"',
    type: /^application\/vnd\.api\+json$/,
  },
  {
    accept: 'application/vnd.api+json; ext="https://example.com/ext", application/vnd.api+json',
    type: /^application\/vnd\.api\+json$/,
  },
]

test.group('Errors | Accept parameters', () => {
  test('a route error for {accept} is sent in that format')
    .with(PARAMETERIZED)
    .run(async ({ assert }, { accept, type }) => {
      const response = await get('/__test__/errors/status/409', { accept })
      assert.equal(response.status, 409)
      assert.match(response.headers.get('content-type')!, type)
      const body: any = await response.json()
      assert.equal(body.status ?? body.errors[0].status, type.source.includes('vnd') ? '409' : 409)
    })

  test('an unknown route for {accept} gets a 404 in that format')
    .with(PARAMETERIZED)
    .run(async ({ assert }, { accept, type }) => {
      const response = await get('/no/such/page', { accept })
      assert.equal(response.status, 404)
      assert.match(response.headers.get('content-type')!, type)
    })

  test('a malformed URL for {accept} gets its 400 in that format')
    .with(PARAMETERIZED)
    .run(async ({ assert }, { accept, type }) => {
      const response = await get('/%E0%A4%A', { accept })
      assert.equal(response.status, 400)
      assert.match(response.headers.get('content-type')!, type)
    })

  test('/api/me without a session for {accept} is a 401, not a redirect')
    .with(PARAMETERIZED)
    .run(async ({ assert }, { accept, type }) => {
      const response = await get('/api/me', { accept })
      assert.equal(response.status, 401)
      assert.isNull(response.headers.get('location'))
      assert.match(response.headers.get('content-type')!, type)
    })

  test('browsers still get HTML and the redirect to the login page', async ({ assert }) => {
    const response = await get('/api/me', {
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    })
    assert.equal(response.status, 303)
    assert.match(response.headers.get('location')!, /^\/login/)
  })
})

test.group('Errors | JSON:API media type rules', () => {
  test('JSON:API errors are sent as application/vnd.api+json without parameters', async ({
    assert,
  }) => {
    for (const path of ['/__test__/errors/status/409', '/no/such/page', '/%E0%A4%A', '/api/me']) {
      const response = await get(path, { accept: 'application/vnd.api+json' })
      assert.equal(response.headers.get('content-type'), 'application/vnd.api+json', path)
    }
  })

  test('406 when every JSON:API media type in Accept is unusable ({$self})')
    .with([
      'application/vnd.api+json; ext="https://example.com/ext"',
      'application/vnd.api+json; ext="https://example.com/a https://example.com/b"',
      'application/vnd.api+json; charset=utf-8',
      'application/vnd.api+json; ext="https://example.com/ext", application/vnd.api+json; version=1',
      'application/vnd.api+json; ext="https://example.com/ext", application/json',
    ])
    .run(async ({ assert }, accept) => {
      const response = await get('/health', { accept })
      assert.equal(response.status, 406)
      assert.equal(response.headers.get('content-type'), 'application/vnd.api+json')
      const body: any = await response.json()
      assert.equal(body.errors[0].status, '406')
      assert.equal(body.errors[0].code, 'E_NOT_ACCEPTABLE')
      assert.equal(body.meta.requestId, response.headers.get('x-request-id'))
    })

  test('no 406 when one JSON:API media type is usable or only profile is given ({$self})')
    .with([
      'application/vnd.api+json; ext="https://example.com/ext", application/vnd.api+json',
      'application/vnd.api+json; profile="https://example.com/p1 https://example.com/p2"',
      'application/vnd.api+json; ext=""',
      'application/json; charset=utf-8',
    ])
    .run(async ({ assert }, accept) => {
      const response = await get('/health', { accept })
      assert.equal(response.status, 200)
    })

  test('415 for a JSON:API body with a parameter other than ext and profile ({$self})')
    .with([
      'application/vnd.api+json; charset=utf-8',
      'application/vnd.api+json; version=1',
      'application/vnd.api+json; ext="https://example.com/ext"',
    ])
    .run(async ({ assert }, contentType) => {
      const response = await fetch(
        `http://localhost:${process.env.PORT}/__test__/errors/validation`,
        {
          method: 'POST',
          headers: { 'content-type': contentType, 'accept': 'application/vnd.api+json' },
          body: JSON.stringify({ email: 'a@example.com', age: 30 }),
        }
      )
      assert.equal(response.status, 415)
      assert.equal(response.headers.get('accept'), 'application/vnd.api+json')
      assert.equal(response.headers.get('content-type'), 'application/vnd.api+json')
      const body: any = await response.json()
      assert.equal(body.errors[0].code, 'E_UNSUPPORTED_MEDIA_TYPE')
    })

  test('a JSON:API body with only a profile parameter is read', async ({ client, assert }) => {
    const response = await client
      .post('/__test__/errors/validation')
      .withCsrfToken()
      .json({ email: 'nope', age: 30 })
      .header('content-type', 'application/vnd.api+json; profile="https://example.com/p"')
      .header('accept', 'application/vnd.api+json')

    response.assertStatus(422)
    assert.equal(response.header('content-type'), 'application/vnd.api+json')
    assert.equal(response.body().errors[0].source.pointer, '/email')
  })
})
