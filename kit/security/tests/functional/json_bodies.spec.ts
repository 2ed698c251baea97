import { test } from '@japa/runner'

const ECHO = '/__test__/body/echo'

/**
 * JSON bodies are read by the kit's body parser (a nesting check, then
 * the framework's parse): what the route gets is what the framework's own
 * JSON parser gave it.
 */
test.group('Faults | JSON bodies as the route sees them', () => {
  test('strings are trimmed and empty ones made null, at any depth; original() is the body', async ({
    client,
    assert,
  }) => {
    const response = await client
      .post(ECHO)
      .json({ name: '  Ada  ', empty: '', count: 3, nested: { list: [' x ', '', true] } })
      .withCsrfToken()

    response.assertStatus(200)
    const expected = { name: 'Ada', empty: null, count: 3, nested: { list: ['x', null, true] } }
    assert.deepEqual(response.body(), { bodyType: 'json', body: expected, original: expected })
  })

  test('{$self} is parsed like application/json')
    .with(['application/vnd.api+json', 'application/json-patch+json', 'application/csp-report'])
    .run(async ({ client, assert }, type) => {
      const response = await client
        .post(ECHO)
        .unsafeJson('{"data":{"type":"users","attributes":{"email":" a@b.c "}}}')
        .type(type)
        .withCsrfToken()

      response.assertStatus(200)
      assert.deepEqual(response.body().body, {
        data: { type: 'users', attributes: { email: 'a@b.c' } },
      })
    })

  test('prototype-poisoning keys are dropped', async ({ client, assert }) => {
    const response = await client
      .post(ECHO)
      .unsafeJson(
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"ok":1}'
      )
      .withCsrfToken()

    response.assertStatus(200)
    assert.deepEqual(response.body().body, { ok: 1 })
    assert.isUndefined(({} as Record<string, unknown>).polluted)
  })

  test('an empty JSON body is an empty object', async ({ client, assert }) => {
    const response = await client
      .post(ECHO)
      .type('application/json')
      .header('content-length', '0')
      .withCsrfToken()

    response.assertStatus(200)
    assert.deepEqual(response.body().body, {})
  })

  test('invalid JSON: 400 with the kit message, not the parser one', async ({ client, assert }) => {
    const response = await client
      .post(ECHO)
      .unsafeJson('{"password":"hunter2" x')
      .accepting('json')
      .withCsrfToken()

    response.assertStatus(400)
    assert.equal(response.body().errors[0].code, 'E_BAD_REQUEST')
    assert.equal(response.body().errors[0].message, 'The request body is not valid JSON.')
    assert.notInclude(response.text(), 'hunter2')
  })

  test('a JSON string where an object is expected: 422', async ({ client, assert }) => {
    const response = await client
      .post(ECHO)
      .unsafeJson('"just a string"')
      .accepting('json')
      .withCsrfToken()

    response.assertStatus(422)
    assert.equal(
      response.body().errors[0].message,
      'The request body must be a JSON object or array.'
    )
  })
})
