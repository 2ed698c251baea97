import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import sessionSecurity from '#config/session_security'
import { role } from '#claims/role_claim'
import { emailVerified } from '#claims/email_verified_claim'
import { SESSION_COOKIE, signIn, testServer } from '#kit/testing'

test.group('Session | claims', (group) => {
  group.each.setup(async () => {
    await db.from('sessions').delete()
    await db.from('users').where('email', 'demo@example.com').update({ role: 'user' })
  })

  test('the admin page admits admins', async ({ client }) => {
    const { token } = await signIn(testServer, 'admin@example.com')
    const response = await client.get('/admin').as(token)
    response.assertStatus(200)
    response.assertTextIncludes('<h1>Admin</h1>')
  })

  test('a non-admin gets E_INVALID_CLAIM with the failed validator', async ({ client }) => {
    const { token } = await signIn(testServer, 'demo@example.com')

    const response = await client.get('/admin').accepting('json').as(token)

    response.assertStatus(403)
    response.assertBodyContains({
      errors: [
        {
          status: 403,
          code: 'E_INVALID_CLAIM',
          claimValidationErrors: [
            {
              id: 'role',
              reason: {
                message: 'wrong value',
                expectedToInclude: 'admin',
                actualValue: ['user'],
              },
            },
          ],
        },
      ],
    })
  })

  test('an unverified user gets a "wrong value" reason on billing', async ({ client }) => {
    const { token } = await signIn(testServer, 'unverified@example.com')

    const response = await client.get('/billing').accepting('json').as(token)

    response.assertStatus(403)
    response.assertBodyContains({
      errors: [
        {
          claimValidationErrors: [
            {
              id: 'email-verified',
              reason: { message: 'wrong value', expectedValue: true, actualValue: false },
            },
          ],
        },
      ],
    })
  })

  test("a JSON 403 has SuperTokens' message and claimValidationErrors at the top level", async ({
    client,
    assert,
  }) => {
    const { token } = await signIn(testServer, 'demo@example.com')
    const failures = [
      {
        id: 'role',
        reason: { message: 'wrong value', expectedToInclude: 'admin', actualValue: ['user'] },
      },
    ]

    for (const accept of ['application/json', 'application/json; charset=utf-8']) {
      const response = await client.get('/admin').header('accept', accept).as(token)

      response.assertStatus(403)
      assert.match(response.header('content-type')!, /^application\/json/)
      const body = response.body()
      assert.deepEqual(Object.keys(body).sort(), [
        'claimValidationErrors',
        'errors',
        'message',
        'requestId',
      ])
      assert.equal(body.message, 'invalid claim')
      assert.deepEqual(body.claimValidationErrors, failures)
      assert.lengthOf(body.errors, 1)
      assert.containsSubset(body.errors[0], {
        status: 403,
        code: 'E_INVALID_CLAIM',
        message: 'You do not meet the requirements of this page.',
        claimValidationErrors: failures,
      })
    }
  })

  test('JSON:API and problem+json keep the list where their specs allow members', async ({
    client,
    assert,
  }) => {
    const { token } = await signIn(testServer, 'unverified@example.com')
    const failures = [
      {
        id: 'email-verified',
        reason: { message: 'wrong value', expectedValue: true, actualValue: false },
      },
    ]

    const jsonApiResponse = await client.get('/billing').accepting('jsonapi').as(token)
    const jsonApi = jsonApiResponse.body()
    assert.deepEqual(Object.keys(jsonApi).sort(), ['errors', 'meta'])
    assert.deepEqual(jsonApi.errors[0].meta.claimValidationErrors, failures)

    const problemResponse = await client.get('/billing').accepting('problem').as(token)
    const problem = problemResponse.body()
    assert.deepEqual(problem.claimValidationErrors, failures)
    assert.equal(problem.detail, 'You do not meet the requirements of this page.')
    assert.notProperty(problem, 'message')
  })

  test('the 403 page names the missing requirement', async ({ client, assert }) => {
    const { token } = await signIn(testServer, 'demo@example.com')

    const response = await client.get('/admin').accepting('html').as(token)

    response.assertStatus(403)
    assert.include(response.text(), '<li>the &quot;admin&quot; role</li>')
  })

  test('JSON:API and problem+json carry the claim failures', async ({ client, assert }) => {
    const { token } = await signIn(testServer, 'demo@example.com')

    const jsonApi = await client.get('/admin').accepting('jsonapi').as(token)
    assert.equal(jsonApi.body().errors[0].meta.claimValidationErrors[0].id, 'role')

    const problem = await client.get('/admin').accepting('problem').as(token)
    assert.equal(problem.body().claimValidationErrors[0].id, 'role')
    assert.equal(problem.body().status, 403)
  })

  test('a stale role is fetched again and the change takes effect; the token rotates', async ({
    client,
    assert,
  }) => {
    const { token } = await signIn(testServer, 'demo@example.com')
    const denied = await client.get('/admin').accepting('json').as(token)
    denied.assertStatus(403)

    await db.from('users').where('email', 'demo@example.com').update({ role: 'admin' })
    const stillCached = await client.get('/admin').accepting('json').as(token)
    stillCached.assertStatus(403)

    const data = await db.from('sessions').whereNull('successor_id').whereNotNull('user_id').first()
    const values = JSON.parse(data.data)
    values.claims.role.fetchedAt -= 61_000
    await db
      .from('sessions')
      .where('id', data.id)
      .update({ data: JSON.stringify(values) })

    const allowed = await client.get('/admin').as(token)
    allowed.assertStatus(200)
    assert.notEqual(allowed.cookie(SESSION_COOKIE)!.value, token)
  })

  test('global validators apply to auth() routes, `[]` turns them off', async ({
    client,
    cleanup,
  }) => {
    const original = sessionSecurity.globalClaims
    sessionSecurity.globalClaims = [emailVerified.isTrue()]
    cleanup(() => {
      sessionSecurity.globalClaims = original
    })
    const { token } = await signIn(testServer, 'unverified@example.com')

    const dashboard = await client.get('/dashboard').accepting('json').as(token)
    dashboard.assertStatus(403)

    const sessions = await client.get('/__test__/session/no-global-claims').as(token)
    sessions.assertStatus(200)

    const admin = await client.get('/admin').accepting('json').as(token)
    admin.assertBodyContains({
      errors: [{ claimValidationErrors: [{ id: 'email-verified' }, { id: 'role' }] }],
    })
  })

  test('optional mode attaches the user and never raises E_UNAUTHORIZED', async ({ client }) => {
    const anonymous = await client.get('/__test__/session/optional')
    anonymous.assertBody({ user: null })

    const { token } = await signIn(testServer, 'demo@example.com')
    const signedIn = await client.get('/__test__/session/optional').as(token)
    signedIn.assertBody({ user: 'demo@example.com' })
  })

  test('the role claim validator says what it needs', ({ assert }) => {
    assert.equal(role.includes('admin').requirement, 'the "admin" role')
    assert.isNull(role.includes('admin').validate(['admin']))
    assert.equal(emailVerified.isTrue().requirement, 'a verified email address')
  })

  test("the built-in validators' reasons are SuperTokens' primitive claims' reasons", ({
    assert,
  }) => {
    assert.deepEqual(role.includes('admin').validate(['user']), {
      message: 'wrong value',
      expectedToInclude: 'admin',
      actualValue: ['user'],
    })
    assert.deepEqual(role.includes('admin').validate(undefined), {
      message: 'value does not exist',
      expectedToInclude: 'admin',
    })
    assert.deepEqual(emailVerified.isTrue().validate(false), {
      message: 'wrong value',
      expectedValue: true,
      actualValue: false,
    })
    assert.deepEqual(emailVerified.isTrue().validate(undefined), {
      message: 'value does not exist',
      expectedValue: true,
    })
  })
})

test.group('Session | claims routes', () => {
  test('the test routes exist', ({ assert }) => {
    assert.isTrue(router.match('/__test__/session/optional', 'GET', false) !== null)
  })
})
