import { test } from '@japa/runner'

function send(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return fetch(`http://localhost:${process.env.PORT}${path}`, {
    method,
    headers,
    redirect: 'manual',
  })
}

const ACCEPTS = [
  'application/json',
  'application/vnd.api+json',
  'application/problem+json',
  'text/html',
  'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  '*/*',
]

/**
 * Every error response varies on Accept; it is never stored when it is
 * about the user or a 5xx, and never used unchecked otherwise (a 404).
 */
function assertUncacheable(assert: any, response: Response) {
  const vary = (response.headers.get('vary') ?? '').split(',').map((name) => name.trim())
  assert.include(
    vary.map((name) => name.toLowerCase()),
    'accept',
    'Vary'
  )
  const status = response.status === 303 ? 401 : response.status
  const expected = status >= 500 || [401, 403, 419, 429].includes(status) ? 'no-store' : 'no-cache'
  assert.equal(response.headers.get('cache-control'), expected, `status ${response.status}`)
}

test.group('Errors | Vary and Cache-Control', () => {
  test('an unknown URL (404) for Accept: {$self}')
    .with(ACCEPTS)
    .run(async ({ assert }, accept) => {
      const response = await send('/no-such-page', { accept })
      assert.equal(response.status, 404)
      assertUncacheable(assert, response)
    })

  test('a 404 without an Accept header', async ({ assert }) => {
    const response = await send('/no-such-page')
    assert.equal(response.status, 404)
    assertUncacheable(assert, response)
  })

  test('a route error ({status}) for every format')
    .with([{ status: 500 }, { status: 503 }, { status: 409 }, { status: 429 }, { status: 403 }])
    .run(async ({ assert }, { status }) => {
      for (const accept of ACCEPTS) {
        const response = await send(`/__test__/errors/status/${status}`, { accept })
        assert.equal(response.status, status)
        assertUncacheable(assert, response)
      }
    })

  test('a crash (500) for every format', async ({ assert }) => {
    for (const accept of ACCEPTS) {
      const response = await send('/__test__/errors/crash', { accept })
      assert.equal(response.status, 500)
      assertUncacheable(assert, response)
    }
  })

  test("/api/me's 401 and the browsers' redirect to the login page", async ({ assert }) => {
    const api = await send('/api/me', { accept: 'application/json' })
    assert.equal(api.status, 401)
    assertUncacheable(assert, api)

    const browser = await send('/api/me', { accept: 'text/html' })
    assert.equal(browser.status, 303)
    assertUncacheable(assert, browser)
  })

  test('a malformed URL (400, answered before AdonisJS) for Accept: {$self}')
    .with(ACCEPTS)
    .run(async ({ assert }, accept) => {
      const response = await send('/%E0%A4%A', { accept })
      assert.equal(response.status, 400)
      assertUncacheable(assert, response)
    })

  test('a validation error (422) of a request with a session keeps no-store', async ({
    client,
    assert,
  }) => {
    const response = await client
      .post('/__test__/errors/validation')
      .withCsrfToken()
      .json({ email: 'nope', age: 12 })
      .header('accept', 'application/problem+json')
    response.assertStatus(422)
    assert.include(response.header('vary')!.toLowerCase(), 'accept')
    // The request carries a session (its CSRF token): the no-store set for it is kept.
    assert.equal(response.header('cache-control'), 'no-store')
  })
})
