import { test } from '@japa/runner'
import type { ApiResponse } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { SessionFamilies } from '#kit/sessions/src/session_families'
import { hashToken, generateSessionToken } from '#kit/sessions/src/token_hash'
import { PreparedUserProvider } from '#kit/sessions/src/prepared_user_provider'
import { SESSION_COOKIE, signIn, testServer } from '#kit/testing'

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

  test('a rotation gives the successor a new idle deadline', async ({ assert }) => {
    const { store, policy } = await app.container.make(SessionFamilies)
    const token = generateSessionToken()
    const start = Date.now() - policy.rotationIntervalMs - 1000
    await store!.create(token, { a: 1 }, { userId: '1', userAgent: null }, policy, start)

    const now = Date.now()
    const resolved = await store!.resolve(token, policy, now)
    assert.deepInclude(resolved, { kind: 'active', due: true })
    const next = await store!.rotate(token, policy, now, true)

    const successor = await db.from('sessions').where('id', hashToken(next!)).first()
    assert.equal(Number(successor.expires_at), now + policy.idleTimeoutMs)
    assert.equal(Number(successor.last_used_at), now)
    assert.deepEqual(JSON.parse(successor.data), { a: 1 })
  })

  test('a signed-in request that changes nothing sets no cookie; once its deadline moves, one', async ({
    client,
    assert,
  }) => {
    const sessionCookiesOf = (response: ApiResponse) =>
      [response.header('set-cookie') ?? []]
        .flat()
        .filter((value: string) => value.startsWith(`${SESSION_COOKIE}=`))

    const { token } = await signIn(testServer, 'demo@example.com')
    const settled = await client.get('/api/me').as(token)
    settled.assertStatus(200)
    assert.lengthOf(sessionCookiesOf(settled), 0)
    assert.equal(settled.header('cache-control'), 'no-store')

    // The session was last marked used over a minute ago: its idle deadline moves
    const row = await db.from('sessions').where('id', hashToken(token)).firstOrFail()
    await db
      .from('sessions')
      .where('id', hashToken(token))
      .update({ last_used_at: Number(row.last_used_at) - 61_000 })

    const moved = await client.get('/api/me').as(token)
    moved.assertStatus(200)
    assert.lengthOf(sessionCookiesOf(moved), 1)
    assert.equal(moved.cookie(SESSION_COOKIE)!.value, token)
    assert.match(sessionCookiesOf(moved)[0], /; Max-Age=7200/)
    assert.equal(moved.header('cache-control'), 'no-store')
    const after = await db.from('sessions').where('id', hashToken(token)).firstOrFail()
    assert.isAbove(Number(after.expires_at), Number(row.expires_at))
  })

  test('a request that changes the session sets the cookie, with the same token', async ({
    client,
    assert,
  }) => {
    const { token } = await signIn(testServer, 'demo@example.com')
    const first = await client.get('/__test__/session/visit').as(token)
    const second = await client.get('/__test__/session/visit').as(token)

    first.assertBody({ visits: 1 })
    second.assertBody({ visits: 2 })
    assert.equal(first.cookie(SESSION_COOKIE)?.value, token)
    assert.equal(second.cookie(SESSION_COOKIE)?.value, token)
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
