import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import { STATUS_CODES } from 'node:http'
import Ajv from 'ajv'
import db from '@adonisjs/lucid/services/db'
import { signIn, testServer } from '#kit/testing'

/**
 * The published schemas (see ../schemas/README.md), checked with ajv's full
 * formats (`uri-reference` is RFC 3986's grammar). Their `$schema` names
 * draft 2020-12, which ajv 6 does not know; the keywords they use are
 * draft 7's.
 */
function validator(file: string) {
  const schema = JSON.parse(readFileSync(new URL(`../schemas/${file}`, import.meta.url), 'utf8'))
  delete schema.$schema
  const ajv = new Ajv({ format: 'full', allErrors: true })
  return ajv.compile(schema)
}

const schemas = {
  jsonapi: validator('jsonapi-1.0.schema.json'),
  problem: validator('rfc9457-problem.schema.json'),
}

const FORMATS = [
  { format: 'jsonapi', accept: 'application/vnd.api+json' },
  { format: 'problem', accept: 'application/problem+json' },
] as const

function send(path: string, init: RequestInit = {}) {
  return fetch(`http://localhost:${process.env.PORT}${path}`, { redirect: 'manual', ...init })
}

function assertValid(assert: any, format: 'jsonapi' | 'problem', body: unknown, what: string) {
  const validate = schemas[format]
  const valid = validate(body)
  assert.isTrue(valid, `${what}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(body)}`)
}

/**
 * Every status the server may send an error with: the ones Node.js names,
 * 419 and unnamed ones of both classes. Not 407, which fetch (undici)
 * refuses to return to its caller.
 */
const STATUSES = [
  ...Object.keys(STATUS_CODES)
    .map(Number)
    .filter((status) => status >= 400 && status !== 407),
  419,
  499,
  599,
]

/**
 * Paths whose decoded form is not a URI reference.
 */
const ODD_PATHS = [
  '/no%20such%20page',
  '/caf%C3%A9',
  '/x%3Cscript%3E',
  '/a%22b%5Cc%7B%7D',
  '/%E0%A4%A',
]

test.group('Errors | bodies against the published schemas', () => {
  for (const { format, accept } of FORMATS) {
    test(`${format}: every error status`, async ({ assert }) => {
      for (const status of STATUSES) {
        const response = await send(`/__test__/errors/status/${status}`, {
          headers: { accept },
        }).catch((error) => {
          throw new Error(`status ${status}: ${error.cause?.message ?? error.message}`)
        })
        assert.equal(response.status, status)
        assertValid(assert, format, await response.json(), `status ${status}`)
      }
    })

    test(`${format}: paths that are not URI references once decoded`, async ({ assert }) => {
      for (const path of ODD_PATHS) {
        const response = await send(path, { headers: { accept } })
        assert.oneOf(response.status, [400, 404])
        const body: any = await response.json()
        assertValid(assert, format, body, path)
        if (format === 'problem') {
          assert.equal(body.instance, path === '/%E0%A4%A' ? '/%E0%A4%25A' : path)
        }
      }
    })

    test(`${format}: a 403 with failed claims`, async ({ client, assert, cleanup }) => {
      cleanup(async () => {
        await db.from('sessions').delete()
      })
      const { token } = await signIn(testServer, 'unverified@example.com')

      for (const [path, claim] of [
        ['/billing', 'email-verified'],
        ['/admin', 'role'],
      ]) {
        const response = await client.get(path).header('accept', accept).as(token)
        response.assertStatus(403)
        const body = response.body()
        assertValid(assert, format, body, `403 of ${path}`)
        const failures =
          format === 'jsonapi'
            ? body.errors[0].meta.claimValidationErrors
            : body.claimValidationErrors
        assert.deepEqual(
          failures.map((failure: { id: string }) => failure.id),
          [claim]
        )
      }
    })

    test(`${format}: a crash, a validation error, a 401, a 406 and a 415`, async ({
      client,
      assert,
    }) => {
      const crash = await send('/__test__/errors/crash', { headers: { accept } })
      assertValid(assert, format, await crash.json(), 'crash')

      const validation = await client
        .post('/__test__/errors/validation')
        .withCsrfToken()
        .json({ age: 12 })
        .header('accept', accept)
      validation.assertStatus(422)
      assertValid(assert, format, validation.body(), 'validation')

      const unauthorized = await send('/api/me', { headers: { accept } })
      assert.equal(unauthorized.status, 401)
      assertValid(assert, format, await unauthorized.json(), '401')

      const notAcceptable = await send('/health', {
        headers: { accept: `${accept}, application/vnd.api+json; ext="https://example.com/e"` },
      })
      assert.oneOf(notAcceptable.status, [200, 406])

      const unsupported = await send('/__test__/errors/validation', {
        method: 'POST',
        headers: { 'accept': accept, 'content-type': 'application/vnd.api+json; charset=utf-8' },
        body: '{}',
      })
      assert.equal(unsupported.status, 415)
      assertValid(assert, format, await unsupported.json(), '415')
    })
  }
})

test.group('Errors | RFC 9457 details', () => {
  test('about:blank titles are the RFC 9110 reason phrases ({$self})')
    .with([
      [413, 'Content Too Large'],
      [422, 'Unprocessable Content'],
      [404, 'Not Found'],
    ] as const)
    .run(async ({ assert }, [status, title]) => {
      const response = await send(`/__test__/errors/status/${status}`, {
        headers: { accept: 'application/problem+json' },
      })
      const body: any = await response.json()
      assert.equal(body.type, 'about:blank')
      assert.equal(body.title, title)

      const jsonApi = await send(`/__test__/errors/status/${status}`, {
        headers: { accept: 'application/vnd.api+json' },
      })
      assert.equal(((await jsonApi.json()) as any).errors[0].title, title)
    })

  test('error codes made from a status stay as they were', async ({ assert }) => {
    const response = await send('/__test__/errors/status/413', {
      headers: { accept: 'application/json' },
    })
    assert.equal(((await response.json()) as any).errors[0].code, 'E_PAYLOAD_TOO_LARGE')
  })

  test("problem+json validation errors keep the rule's meta", async ({ client, assert }) => {
    const response = await client
      .post('/__test__/errors/validation')
      .withCsrfToken()
      .json({ email: 'a@example.com', age: 12 })
      .header('accept', 'application/problem+json')
    response.assertStatus(422)
    assert.deepEqual(response.body().errors, [
      {
        field: 'age',
        rule: 'min',
        message: response.body().errors[0].message,
        pointer: '/age',
        meta: { min: 18 },
      },
    ])
  })
})
