import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { SessionFamilies } from '#session/session_families'
import { hashToken, generateSessionToken } from '#session/session_token'
import { PreparedUserProvider } from '#services/prepared_user_provider'
import { SESSION_COOKIE, signIn } from '#tests/helpers/browser_session'

/**
 * True when a promise has not settled after `ms`.
 */
async function stillPending(promise: Promise<unknown>, ms = 50) {
  const pending = Symbol('pending')
  const first = await Promise.race([
    promise.then(() => 'settled'),
    new Promise((resolve) => setTimeout(() => resolve(pending), ms)),
  ])
  return first === pending
}

test.group('Session | prepared statements on SQLite', (group) => {
  group.each.setup(async () => {
    await db.from('sessions').delete()
  })

  test('a read while a transaction holds the connection waits for it and sees only committed rows', async ({
    assert,
  }) => {
    const { store, policy } = await app.container.make(SessionFamilies)
    const token = generateSessionToken()
    await store!.create(token, { step: 1 }, { userId: null, userAgent: null }, policy, Date.now())

    const trx = await db.transaction()
    await trx
      .from('sessions')
      .where('id', hashToken(token))
      .update({ data: JSON.stringify({ step: 2 }) })

    const read = store!.peek(token)
    assert.isTrue(await stillPending(read), 'the read waits for the transaction')
    await trx.rollback()
    assert.deepEqual(await read, { step: 1 })
  })

  test('a rotation gives the successor a new idle deadline; the request writes nothing more', async ({
    assert,
  }) => {
    const { store, policy } = await app.container.make(SessionFamilies)
    const token = generateSessionToken()
    const start = Date.now() - policy.rotationIntervalMs - 1000
    await store!.create(token, { a: 1 }, { userId: '1', userAgent: null }, policy, start)

    const now = Date.now()
    const resolved = await store!.resolve(token, policy, now)
    assert.equal(resolved.kind, 'active')
    if (resolved.kind !== 'active') return
    assert.isTrue(resolved.rotated)
    assert.isTrue(resolved.touched)

    const successor = await db.from('sessions').where('id', hashToken(resolved.token)).first()
    assert.equal(Number(successor.expires_at), now + policy.idleTimeoutMs)
    assert.equal(Number(successor.last_used_at), now)
    assert.deepEqual(JSON.parse(successor.data), { a: 1 })
  })

  test('a signed-in response signs and sets the session cookie once', async ({
    client,
    assert,
  }) => {
    const token = await signIn(client, 'demo@example.com')
    const response = await client.get('/api/me').withCookie(SESSION_COOKIE, token)
    response.assertStatus(200)

    const setCookies = [response.header('set-cookie') ?? []].flat()
    const sessionCookies = setCookies.filter((value: string) =>
      value.startsWith(`${SESSION_COOKIE}=`)
    )
    assert.lengthOf(sessionCookies, 1)
    assert.equal(response.cookie(SESSION_COOKIE)!.value, token)
    assert.equal(response.header('cache-control'), 'no-store')
  })
})

test.group('Auth | the prepared user provider', () => {
  test('finds the User model User.find gives, and null for an unknown id', async ({ assert }) => {
    const provider = new PreparedUserProvider(
      { model: () => import('#models/user') },
      await app.container.make('lucid.db')
    )
    const expected = await User.findByOrFail('email', 'demo@example.com')

    const found = await provider.findById(expected.id)
    const user = found!.getOriginal()
    assert.instanceOf(user, User)
    assert.isTrue(user.$isPersisted)
    assert.deepEqual(user.serialize(), expected.serialize())
    assert.equal(user.createdAt.toMillis(), expected.createdAt.toMillis())
    assert.equal(found!.getId(), expected.id)

    assert.isNull(await provider.findById(999_999))
  })
})
