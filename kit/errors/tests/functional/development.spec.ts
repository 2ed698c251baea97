import { test } from '@japa/runner'

/**
 * The in-process test server runs like development: debug mode on, status
 * pages off. Bodies have the production shape plus stack lines.
 */
const ACCEPTS = {
  json: { accept: 'application/json', type: 'application/json' },
  jsonapi: { accept: 'application/vnd.api+json', type: 'application/vnd.api+json' },
  problem: { accept: 'application/problem+json', type: 'application/problem+json' },
} as const

test.group('Errors | development mode', () => {
  test('{$self}: JSON body with the production shape plus a stack')
    .with([401, 403, 404, 419, 429, 503, 418, 500])
    .run(async ({ client, assert }, status) => {
      const response = await client.get(`/__test__/errors/status/${status}`).accepting('json')

      response.assertStatus(status)
      assert.match(response.header('content-type')!, /^application\/json/)
      const body = response.body()
      assert.deepEqual(Object.keys(body).sort(), ['errors', 'requestId'])
      assert.equal(body.requestId, response.header('x-request-id'))
      assert.lengthOf(body.errors, 1)
      assert.equal(body.errors[0].status, status)
      assert.match(body.errors[0].code, /^E_[A-Z0-9_]+$/)
      assert.equal(body.errors[0].message, `Status ${status}`)
      assert.isArray(body.errors[0].stack)
      assert.deepEqual(Object.keys(body.errors[0]).sort(), ['code', 'message', 'stack', 'status'])
    })

  test('JSON:API and problem+json bodies in debug mode', async ({ client, assert }) => {
    const jsonApi = await client
      .get('/__test__/errors/status/409?code=E_CONFLICT')
      .header('accept', ACCEPTS.jsonapi.accept)
    assert.match(jsonApi.header('content-type')!, /^application\/vnd\.api\+json/)
    assert.containSubset(jsonApi.body(), {
      errors: [{ status: '409', code: 'E_CONFLICT', title: 'Conflict', detail: 'Status 409' }],
      meta: { requestId: jsonApi.header('x-request-id') },
    })
    assert.isArray(jsonApi.body().errors[0].meta.stack)

    const problem = await client
      .get('/__test__/errors/status/409?code=E_CONFLICT')
      .header('accept', ACCEPTS.problem.accept)
    assert.match(problem.header('content-type')!, /^application\/problem\+json/)
    assert.containSubset(problem.body(), {
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'Status 409',
      instance: '/__test__/errors/status/409',
      code: 'E_CONFLICT',
      requestId: problem.header('x-request-id'),
    })
  })

  test('a 5xx shows its real message in debug mode', async ({ client, assert }) => {
    const response = await client.get('/__test__/errors/crash').accepting('json')

    response.assertStatus(500)
    assert.include(response.body().errors[0].message, 'SQLITE_ERROR')
    assert.equal(response.body().errors[0].code, 'E_INTERNAL_SERVER_ERROR')
  })

  test('HTML clients get the Youch page, {$self}')
    .with(['text/html', '*/*', ''])
    .run(async ({ client, assert }, accept) => {
      const request = client.get('/__test__/errors/crash')
      if (accept) {
        request.header('accept', accept)
      }
      const response = await request

      response.assertStatus(500)
      assert.match(response.header('content-type')!, /^text\/html/)
      assert.include(response.text(), 'SQLITE_ERROR')
    })

  test('the query string is not part of instance', async ({ client, assert }) => {
    const response = await client
      .get('/__test__/errors/status/404?token=secret-value')
      .accepting('problem')
    assert.equal(response.body().instance, '/__test__/errors/status/404')
  })
})

test.group('Errors | validation', () => {
  test('JSON clients get 422 with one entry per field', async ({ client, assert }) => {
    const response = await client
      .post('/__test__/errors/validation')
      .withCsrfToken()
      .json({ email: 'nope', age: 12 })
      .accepting('json')

    response.assertStatus(422)
    assert.deepEqual(
      response
        .body()
        .errors.map((entry: any) => [entry.field, entry.rule, entry.status, entry.code]),
      [
        ['email', 'email', 422, 'E_VALIDATION_ERROR'],
        ['age', 'min', 422, 'E_VALIDATION_ERROR'],
      ]
    )
    assert.isString(response.body().errors[0].message)
    assert.equal(response.body().requestId, response.header('x-request-id'))
  })

  test('JSON:API clients get a source pointer per field', async ({ client, assert }) => {
    const response = await client
      .post('/__test__/errors/validation')
      .withCsrfToken()
      .json({ email: 'nope', age: 30 })
      .accepting('jsonapi')

    response.assertStatus(422)
    assert.containSubset(response.body().errors, [
      {
        status: '422',
        code: 'E_VALIDATION_ERROR',
        source: { pointer: '/email' },
        meta: { rule: 'email' },
      },
    ])
  })

  test('problem+json clients get an errors member', async ({ client, assert }) => {
    const response = await client
      .post('/__test__/errors/validation')
      .withCsrfToken()
      .json({ age: 30 })
      .accepting('problem')

    response.assertStatus(422)
    assert.match(response.header('content-type')!, /^application\/problem\+json/)
    assert.containSubset(response.body(), {
      status: 422,
      code: 'E_VALIDATION_ERROR',
      errors: [{ field: 'email', rule: 'required', pointer: '/email' }],
    })
  })

  test('HTML forms are redirected back with errors and old input', async ({ client }) => {
    const response = await client
      .post('/__test__/errors/validation')
      .withCsrfToken()
      .form({ email: 'nope', age: '12' })
      .header('referer', '/signup')
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', '/signup')
    response.assertHasValidationError('email')
    response.assertHasValidationError('age')
    response.assertFlashMessage('email', 'nope')
  })
})

test.group('Errors | the guide', () => {
  test('self-handled exceptions render their own response', async ({ client }) => {
    const response = await client.get('/__test__/errors/self-handled')

    response.assertStatus(409)
    response.assertBody({ handledBy: 'the exception itself' })
  })

  test('anything thrown becomes a 500: {$self}')
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
    .run(async ({ client, assert }, kind) => {
      const response = await client.get(`/__test__/errors/throw/${kind}`).accepting('json')

      response.assertStatus(500)
      assert.equal(response.body().errors[0].status, 500)
    })

  test('the server keeps answering after odd throwables', async ({ client }) => {
    for (const kind of ['null', 'undefined', 'string']) {
      await client.get(`/__test__/errors/throw/${kind}`)
    }
    const response = await client.get('/')
    response.assertStatus(200)
  })
})
