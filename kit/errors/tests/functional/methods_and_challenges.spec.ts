import { test } from '@japa/runner'

function send(method: string, path: string, accept?: string) {
  return fetch(`http://localhost:${process.env.PORT}${path}`, {
    method,
    headers: accept ? { accept } : {},
    redirect: 'manual',
  })
}

const FORMATS = [
  { accept: 'application/json', type: /^application\/json/ },
  { accept: 'application/vnd.api+json', type: /^application\/vnd\.api\+json$/ },
  { accept: 'application/problem+json', type: /^application\/problem\+json/ },
  { accept: 'text/html', type: /^text\/html/ },
]

const WRONG_METHODS = [
  { method: 'DELETE', path: '/api/me', allow: ['GET', 'HEAD'] },
  { method: 'POST', path: '/health', allow: ['GET', 'HEAD'] },
  { method: 'PUT', path: '/login', allow: ['GET', 'HEAD', 'POST'] },
  { method: 'OPTIONS', path: '/login', allow: ['GET', 'HEAD', 'POST'] },
]

test.group('Errors | 405 Method Not Allowed', () => {
  test('{method} {path} is a 405 with Allow in every format')
    .with(WRONG_METHODS)
    .run(async ({ assert }, { method, path, allow }) => {
      for (const { accept, type } of FORMATS) {
        const response = await send(method, path, accept)
        assert.equal(response.status, 405, accept)
        assert.sameMembers(
          response.headers
            .get('allow')!
            .split(',')
            .map((name) => name.trim()),
          allow,
          accept
        )
        assert.match(response.headers.get('content-type')!, type)
        const text = await response.text()
        if (accept === 'application/json') {
          assert.equal(JSON.parse(text).errors[0].code, 'E_METHOD_NOT_ALLOWED')
        } else if (accept === 'application/problem+json') {
          assert.containSubset(JSON.parse(text), {
            type: 'about:blank',
            status: 405,
            title: 'Method Not Allowed',
            code: 'E_METHOD_NOT_ALLOWED',
          })
        } else if (accept === 'application/vnd.api+json') {
          assert.equal(JSON.parse(text).errors[0].status, '405')
        } else {
          assert.include(text, '405')
        }
      }
    })

  test('a URL without any route is still a 404', async ({ assert }) => {
    const response = await send('DELETE', '/no/such/page', 'application/json')
    assert.equal(response.status, 404)
    assert.isNull(response.headers.get('allow'))
  })
})

test.group('Errors | 401 challenges', () => {
  test('a 401 to {$self} carries WWW-Authenticate')
    .with(['application/json', 'application/vnd.api+json', 'application/problem+json'])
    .run(async ({ assert }, accept) => {
      const response = await send('GET', '/api/me', accept)
      assert.equal(response.status, 401)
      assert.equal(response.headers.get('www-authenticate'), 'Session realm="app"')

      const thrown = await send('GET', '/__test__/errors/status/401', accept)
      assert.equal(thrown.status, 401)
      assert.equal(thrown.headers.get('www-authenticate'), 'Session realm="app"')
    })

  test('a 401 page for browsers carries it too', async ({ assert }) => {
    const page = await send('GET', '/__test__/errors/status/401', 'text/html')
    assert.equal(page.status, 401)
    assert.equal(page.headers.get('www-authenticate'), 'Session realm="app"')
  })
})

test.group('Errors | JSON:API source.pointer', () => {
  test('a missing required field points where the member belongs', async ({ client, assert }) => {
    const response = await client
      .post('/__test__/errors/validation')
      .withCsrfToken()
      .json({ age: 30 })
      .header('accept', 'application/vnd.api+json')
    response.assertStatus(422)
    assert.containSubset(response.body().errors, [
      { source: { pointer: '/email' }, meta: { rule: 'required' } },
    ])
  })
})
