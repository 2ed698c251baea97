import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { signIn, stolenToken, testServer } from '#kit/testing'

const API_FORMATS = [
  { accept: 'application/json', type: /^application\/json/ },
  { accept: 'application/vnd.api+json', type: /^application\/vnd\.api\+json/ },
  { accept: 'application/problem+json', type: /^application\/problem\+json/ },
]

/**
 * The error code of a body, whatever its format.
 */
function codeOf(body: any) {
  return body.code ?? body.errors[0].code
}

test.group('Session | exceptions in every format', (group) => {
  group.each.setup(async () => {
    await db.from('sessions').delete()
  })

  test('E_UNAUTHORIZED for browsers: a redirect to the login page, which says why', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/billing?x=1').accepting('html').redirects(0)

    response.assertStatus(303)
    response.assertHeader('location', '/login?next=%2Fbilling%3Fx%3D1')

    /**
     * Nothing is stored for a visitor without a session: the login page
     * itself shows the notice, from its `next` parameter.
     */
    assert.notProperty(response.flashMessages(), 'notice')
    assert.deepEqual(await db.from('sessions').count('* as rows'), [{ rows: 0 }])
    const login = await client.get('/login?next=%2Fbilling%3Fx%3D1')
    assert.include(login.text(), '<p class="notice" role="status">Please sign in to continue.</p>')
  })

  test('E_UNAUTHORIZED for browsers whose session expired: the reason is flashed', async ({
    client,
  }) => {
    const { token } = await signIn(testServer, 'demo@example.com')
    await db.from('sessions').update({ family_created_at: Date.now() - 8 * 24 * 60 * 60 * 1000 })

    const response = await client.get('/dashboard').accepting('html').as(token).redirects(0)

    response.assertStatus(303)
    response.assertHeader('location', '/login?next=%2Fdashboard')
    response.assertFlashMessage('notice', 'Your session has expired. Please sign in again.')
  })

  for (const { accept, type } of API_FORMATS) {
    test(`E_UNAUTHORIZED as ${accept}`, async ({ client, assert }) => {
      const response = await client.get('/dashboard').header('accept', accept)

      response.assertStatus(401)
      assert.match(response.header('content-type')!, type)
      assert.equal(codeOf(response.body()), 'E_UNAUTHORIZED')
    })

    test(`E_INVALID_CLAIM as ${accept}`, async ({ client, assert }) => {
      const { token } = await signIn(testServer, 'demo@example.com')
      const response = await client.get('/admin').header('accept', accept).as(token)

      response.assertStatus(403)
      assert.match(response.header('content-type')!, type)
      assert.equal(codeOf(response.body()), 'E_INVALID_CLAIM')
    })

    test(`E_TOKEN_THEFT_DETECTED as ${accept}`, async ({ client, assert }) => {
      const stolen = await stolenToken(client)
      const response = await client.get('/dashboard').header('accept', accept).as(stolen)

      response.assertStatus(401)
      assert.match(response.header('content-type')!, type)
      assert.equal(codeOf(response.body()), 'E_TOKEN_THEFT_DETECTED')
    })
  }

  test('E_INVALID_CLAIM for browsers: the 403 page', async ({ client }) => {
    const { token } = await signIn(testServer, 'unverified@example.com')
    const response = await client.get('/billing').accepting('html').as(token)

    response.assertStatus(403)
    response.assertTextIncludes('<li>a verified email address</li>')
  })

  test('theft on a public page still revokes and signs out', async ({ client, assert }) => {
    const stolen = await stolenToken(client)
    const response = await client.get('/').accepting('html').as(stolen).redirects(0)

    response.assertStatus(303)
    assert.lengthOf(await db.from('sessions').whereNotNull('user_id'), 0)
  })
})
