import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { HttpContext } from '@adonisjs/core/http'
import HttpExceptionHandler from '#exceptions/handler'
import type UnauthorizedException from '#kit/sessions/src/exceptions/unauthorized_exception'
import type InvalidClaimException from '#kit/sessions/src/exceptions/invalid_claim_exception'
import type TokenTheftDetectedException from '#kit/sessions/src/exceptions/token_theft_detected_exception'
import { signIn, stolenToken, testServer } from '#kit/testing'

/**
 * What a user writes in app/exceptions/handler.ts: the three hooks of
 * the session middleware's auth errors, overridden.
 */
class CustomHooksHandler extends HttpExceptionHandler {
  static thefts: { userId: number | null; revokedNow: boolean }[] = []

  protected async onUnauthorized(error: UnauthorizedException, ctx: HttpContext) {
    return ctx.response.status(401).send({ custom: 'sign in first', reason: error.reason })
  }

  protected async onInvalidClaim(error: InvalidClaimException, ctx: HttpContext) {
    return ctx.response
      .status(403)
      .send({ custom: 'not allowed', failed: error.failures.map((failure) => failure.id) })
  }

  protected async onTokenTheftDetected(error: TokenTheftDetectedException, ctx: HttpContext) {
    CustomHooksHandler.thefts.push({ userId: error.userId, revokedNow: error.revokedNow })
    return ctx.response.status(401).send({ custom: 'signed out for safety' })
  }
}

/**
 * Makes the running server's handler (the container's singleton) a
 * CustomHooksHandler until the test ends.
 */
async function useCustomHooks(cleanup: (fn: () => void) => void) {
  const handler = await app.container.make(HttpExceptionHandler)
  Object.setPrototypeOf(handler, CustomHooksHandler.prototype)
  cleanup(() => Object.setPrototypeOf(handler, HttpExceptionHandler.prototype))
  CustomHooksHandler.thefts = []
}

test.group('Errors | the handler hooks of the auth errors', (group) => {
  group.each.setup(async () => {
    await db.from('sessions').delete()
  })

  test('onUnauthorized changes the answer; the expired session is still signed out', async ({
    client,
    assert,
    cleanup,
  }) => {
    await useCustomHooks(cleanup)
    const { token } = await signIn(testServer, 'demo@example.com')
    await db.from('sessions').update({ family_created_at: Date.now() - 8 * 24 * 60 * 60 * 1000 })

    const response = await client.get('/api/me').accepting('json').as(token)

    response.assertStatus(401)
    assert.deepEqual(response.body(), { custom: 'sign in first', reason: 'expired' })
    assert.lengthOf(await db.from('sessions').whereNotNull('user_id'), 0)
  })

  test('onInvalidClaim changes the answer; the session is kept', async ({
    client,
    assert,
    cleanup,
  }) => {
    await useCustomHooks(cleanup)
    const { token } = await signIn(testServer, 'demo@example.com')

    const response = await client.get('/admin').accepting('html').as(token)

    response.assertStatus(403)
    assert.deepEqual(response.body(), { custom: 'not allowed', failed: ['role'] })
    const me = await client.get('/api/me').as(token)
    me.assertStatus(200)
  })

  test('onTokenTheftDetected changes the answer; the family is still revoked, once', async ({
    client,
    assert,
    cleanup,
  }) => {
    await useCustomHooks(cleanup)
    const stolen = await stolenToken(client)

    const first = await client.get('/api/me').as(stolen)
    first.assertStatus(401)
    assert.deepEqual(first.body(), { custom: 'signed out for safety' })
    assert.lengthOf(await db.from('sessions').whereNotNull('user_id'), 0)

    const again = await client.get('/api/me').as(stolen)
    again.assertStatus(401)

    const demo = await db.from('users').where('email', 'demo@example.com').firstOrFail()
    assert.deepEqual(CustomHooksHandler.thefts, [
      { userId: demo.id, revokedNow: true },
      { userId: null, revokedNow: false },
    ])
  })

  test('without the override, the default hooks answer again', async ({ client, assert }) => {
    const response = await client.get('/api/me').accepting('json')

    response.assertStatus(401)
    assert.equal(response.body().errors[0].code, 'E_UNAUTHORIZED')
  })
})

test.group('Errors | respond() of exceptions that handle themselves', () => {
  test('a status page added to the handler applies to a generated --handle exception', async ({
    client,
    assert,
    cleanup,
  }) => {
    const before = await client.get('/__test__/errors/payment-required').accepting('html')
    before.assertStatus(402)
    assert.notInclude(before.text(), 'Upgrade your plan')

    const handler: any = await app.container.make(HttpExceptionHandler)
    const pages = handler.statusPages
    handler.statusPages = {
      ...pages,
      '402': (_error: unknown, ctx: HttpContext) =>
        ctx.response.status(402).send('<h1>Upgrade your plan</h1>'),
    }
    cleanup(() => {
      handler.statusPages = pages
    })

    const page = await client.get('/__test__/errors/payment-required').accepting('html')
    page.assertStatus(402)
    assert.include(page.text(), '<h1>Upgrade your plan</h1>')

    const json = await client.get('/__test__/errors/payment-required').accepting('json')
    json.assertStatus(402)
    assert.equal(json.body().errors[0].code, 'E_PAYMENT_REQUIRED')
  })

  test("its JSON body follows the handler's debug setting", async ({ client, assert, cleanup }) => {
    const handler: any = await app.container.make(HttpExceptionHandler)
    const debug = handler.debug
    cleanup(() => {
      handler.debug = debug
    })

    handler.debug = true
    const withStack = await client.get('/__test__/errors/payment-required').accepting('json')
    assert.isArray(withStack.body().errors[0].stack)

    handler.debug = false
    const without = await client.get('/__test__/errors/payment-required').accepting('json')
    assert.notProperty(without.body().errors[0], 'stack')
  })
})
