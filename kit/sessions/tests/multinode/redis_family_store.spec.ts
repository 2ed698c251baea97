import { randomBytes } from 'node:crypto'
import { test } from '@japa/runner'
import { RedisConnection } from '@adonisjs/redis'
import { RedisFamilyStore } from '#kit/sessions/src/redis_family_store'
import { generateSessionToken, hashToken } from '#kit/sessions/src/token_hash'
import type { SessionPolicy } from '#kit/sessions/src/types'
import {
  RedisSessionInspector,
  overwrite,
  REDIS,
  missingServices,
  needsServices,
} from '#kit/testing'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

const POLICY: SessionPolicy = {
  rotationIntervalMs: 15 * MINUTE,
  graceWindowMs: 30_000,
  idleTimeoutMs: 2 * HOUR,
  absoluteLifetimeMs: 7 * 24 * HOUR,
  theftDetection: true,
}

const APP_KEY = randomBytes(32).toString('base64url')

/**
 * The store on its own, against the real Redis server: what the HTTP
 * tests cannot see (keys, TTLs, prefixes, indexes).
 */
test.group('Multi-node | Redis family store', (group) => {
  needsServices(group)
  const prefix = `multinode-${randomBytes(4).toString('hex')}:store:`
  let redis: RedisConnection
  let otherInstance: RedisConnection
  let store: RedisFamilyStore
  let keys: RedisSessionInspector

  group.setup(async () => {
    const missing = await missingServices()
    if (missing.length) {
      return
    }
    redis = new RedisConnection('store', REDIS)
    otherInstance = new RedisConnection('store-other-instance', REDIS)
    store = new RedisFamilyStore(redis, APP_KEY, prefix)
    keys = new RedisSessionInspector(redis, prefix)
  })
  group.teardown(async () => {
    if (redis) {
      await keys.clear()
      await Promise.all([redis.quit(), otherInstance.quit()])
    }
  })
  group.each.setup(() => keys?.clear())

  /**
   * A new session of `userId` (anonymous when null), created now.
   */
  async function newSession(userId: string | null, now = Date.now()) {
    const token = generateSessionToken()
    await store.create(token, { a: 1 }, { userId, userAgent: 'Tests/1.0' }, POLICY, now)
    return token
  }

  /**
   * Rotates the family's current token; its successor.
   */
  async function rotate(token: string, now: number) {
    const next = await store.rotate(token, POLICY, now)
    if (next === null) {
      throw new Error('The family has ended')
    }
    return next
  }

  /**
   * Everything left under the prefix, key names and contents, as text.
   */
  async function dump() {
    const entries: string[] = []
    const names = await keys.keys()
    for (const key of names.sort()) {
      const type = await redis.type(key)
      const value =
        type === 'hash'
          ? await redis.hgetall(key)
          : type === 'set'
            ? await redis.smembers(key)
            : await redis.get(key)
      entries.push(`${key} ${JSON.stringify(value)}`)
    }
    return entries.join('\n')
  }

  test('every key of a family expires with it; use pushes the deadline back', async ({
    assert,
  }) => {
    const now = Date.now()
    const token = await newSession('7', now)
    const [familyKey] = await keys.familyKeys()

    for (const key of [`${prefix}token:${hashToken(token)}`, familyKey, `${familyKey}:tokens`]) {
      const ttl = await redis.pttl(key)
      assert.isAbove(ttl, 0, key)
      assert.isAtMost(ttl, POLICY.idleTimeoutMs, key)
    }
    const indexTtl = await redis.pttl(`${prefix}user:7`)
    assert.isAbove(indexTtl, POLICY.idleTimeoutMs)
    assert.isAtMost(indexTtl, POLICY.absoluteLifetimeMs)

    await store.touch(token, POLICY, now + HOUR)
    assert.isAbove(await redis.pttl(familyKey), POLICY.idleTimeoutMs)
  })

  test('a store with another prefix does not see the session', async ({ assert }) => {
    const token = await newSession('7')
    const otherApp = new RedisFamilyStore(redis, APP_KEY, `${prefix}other-app:`)

    const resolved = await otherApp.resolve(token, POLICY, Date.now())

    assert.deepEqual(resolved, { kind: 'unknown' })
    const written = await keys.keys()
    assert.isTrue(written.every((key) => !key.startsWith(`${prefix}other-app:`)))
  })

  test('signing in moves the family into the user index; sign out everywhere empties it', async ({
    assert,
  }) => {
    const token = await newSession(null)
    assert.deepEqual(await store.listUser('7', Date.now()), [])

    await store.write(token, overwrite({ auth_web: 7 }, '7'), POLICY, Date.now())

    const [session] = await store.listUser('7', Date.now())
    assert.equal(session.userAgent, 'Tests/1.0')
    assert.deepEqual(await store.peek(token), { auth_web: 7 })
    assert.equal(await store.destroyUser('7'), 1)
    assert.deepEqual(await keys.keys(), [])
  })

  test('the session list forgets families that expired', async ({ assert }) => {
    await newSession('7')
    const [familyKey] = await keys.familyKeys()
    await redis.del(familyKey)

    assert.deepEqual(await store.listUser('7', Date.now()), [])
    assert.equal(await redis.scard(`${prefix}user:7`), 0)
  })

  test('a theft leaves the token keys and a marker: no data, no user, no token', async ({
    assert,
  }) => {
    const now = Date.now()
    const token = await newSession('7', now)
    const successor = (await store.rotate(token, POLICY, now + 16 * MINUTE, true))!
    assert.notInclude([token, null], successor)
    const [familyKey] = await keys.familyKeys()
    const familyTtl = await redis.pttl(familyKey)

    const theft = await store.resolve(token, POLICY, now + 16 * MINUTE + 31_000)

    const familyId = familyKey.slice(`${prefix}family:`.length)
    assert.deepEqual(theft, { kind: 'theft', familyId, userId: '7', revokedNow: true })
    assert.sameMembers(await keys.keys(), [
      `${prefix}token:${hashToken(token)}`,
      `${prefix}token:${hashToken(successor)}`,
      `${familyKey}:tokens`,
      `${familyKey}:revoked`,
    ])
    assert.equal(await redis.get(`${familyKey}:revoked`), 'theft')
    const markerTtl = await redis.pttl(`${familyKey}:revoked`)
    assert.isAbove(markerTtl, 0)
    assert.isAtMost(markerTtl, familyTtl, 'no longer than the family hash it replaces')
    const left = await dump()
    for (const secret of [token, successor, '"a":1', 'Tests/1.0', 'user:7']) {
      assert.notInclude(left, secret)
    }
  })

  test("the theft marker lives no longer than the family's absolute lifetime", async ({
    assert,
  }) => {
    const policy = { ...POLICY, absoluteLifetimeMs: 10 * MINUTE }
    const now = Date.now()
    const token = generateSessionToken()
    await store.create(token, {}, { userId: '7', userAgent: null }, policy, now)
    await rotate(token, now)

    const theft = await store.resolve(token, policy, now + 31_000)

    assert.equal(theft.kind, 'theft')
    const [marker] = await keys.theftMarkers()
    const ttl = await redis.pttl(marker)
    assert.isAbove(ttl, 0)
    assert.isAtMost(ttl, 10 * MINUTE, 'ends with the family, not at the idle deadline')
  })

  test('every token of a family revoked for theft answers theft until its marker expires', async ({
    assert,
  }) => {
    const now = Date.now()
    const token = await newSession('7', now)
    const successor = await rotate(token, now)
    const theft = await store.resolve(token, POLICY, now + 31_000)
    assert.equal(theft.kind, 'theft')
    const familyId = theft.kind === 'theft' ? theft.familyId : ''

    for (const reused of [token, successor]) {
      const again = await store.resolve(reused, POLICY, now + 32_000)
      assert.deepEqual(again, { kind: 'theft', familyId, userId: null, revokedNow: false })
    }
    assert.isNull(await store.touch(successor, POLICY, now + 32_000))
    assert.isNull(await store.write(successor, overwrite({ a: 2 }, '7'), POLICY, now + 32_000))
    assert.isNull(await store.rotate(successor, POLICY, now + 32_000))
    assert.isNull(await store.peek(successor))
    assert.deepEqual(await keys.familyKeys(), [], 'nothing brings the family back')

    await redis.del(`${prefix}family:${familyId}:revoked`)

    assert.deepEqual(await store.resolve(successor, POLICY, now + 33_000), { kind: 'unknown' })
  })

  test('a family revoked for theft is no session of its user; signing out with its token removes it', async ({
    assert,
  }) => {
    const now = Date.now()
    const stolen = await newSession('7', now)
    await newSession('7', now)
    await rotate(stolen, now)
    const theft = await store.resolve(stolen, POLICY, now + 31_000)
    const familyId = theft.kind === 'theft' ? theft.familyId : ''

    const sessions = await store.listUser('7', now + 31_000)

    assert.lengthOf(sessions, 1)
    assert.notEqual(sessions[0].familyId, familyId)
    assert.equal(await store.destroyFamily('7', familyId), 0)
    assert.equal(await store.destroyUser('7'), 1, 'only the other family')
    assert.lengthOf(await keys.theftMarkers(), 1)
    const again = await store.resolve(stolen, POLICY, now + 32_000)
    assert.equal(again.kind, 'theft')

    await store.destroyFamilyOf(stolen)

    assert.deepEqual(await keys.keys(), [])
  })

  test('with theft detection off, a late or older token is stale: nothing revoked, nothing written', async ({
    assert,
  }) => {
    const policy = { ...POLICY, theftDetection: false }
    const now = Date.now()
    const token = await newSession('7', now)
    const second = await rotate(token, now)
    const third = await rotate(second, now + 10_000)
    const [familyKey] = await keys.familyKeys()
    const familyId = familyKey.slice(`${prefix}family:`.length)
    const before = await dump()

    const older = await store.resolve(token, policy, now + 20_000)
    const late = await store.resolve(second, policy, now + 41_000)

    assert.deepEqual(late, { kind: 'stale', familyId, userId: '7' })
    assert.deepEqual(older, { kind: 'stale', familyId, userId: '7' })
    assert.equal(await dump(), before, 'no marker, no key changed')
    assert.lengthOf(await keys.theftMarkers(), 0)
    const current = await store.resolve(third, policy, now + 42_000)
    assert.deepInclude(current, { kind: 'active', token: third, userId: '7', data: { a: 1 } })
    assert.lengthOf(await store.listUser('7', now + 42_000), 1)
  })

  test('with theft detection off, the previous token within the grace window still leads to its successor', async ({
    assert,
  }) => {
    const policy = { ...POLICY, theftDetection: false }
    const now = Date.now()
    const token = await newSession('7', now)
    const next = await rotate(token, now)

    const previous = await store.resolve(token, policy, now + 30_000)

    assert.deepInclude(previous, { kind: 'active', token: next, rotated: true })
  })

  test('with theft detection off, a family revoked for theft earlier answers stale', async ({
    assert,
  }) => {
    const now = Date.now()
    const token = await newSession('7', now)
    const successor = await rotate(token, now)
    const theft = await store.resolve(token, POLICY, now + 31_000)
    const familyId = theft.kind === 'theft' ? theft.familyId : ''

    for (const reused of [token, successor]) {
      const again = await store.resolve(reused, { ...POLICY, theftDetection: false }, now + 32_000)
      assert.deepEqual(again, { kind: 'stale', familyId, userId: null })
    }
    assert.lengthOf(await keys.theftMarkers(), 1)
  })

  test('a due token is resolved as due, and nothing is rotated until the request ends', async ({
    assert,
  }) => {
    const now = Date.now()
    const token = await newSession('7', now)

    const resolved = await store.resolve(token, POLICY, now + 16 * MINUTE)

    assert.deepInclude(resolved, { kind: 'active', token, rotated: false, due: true })
    assert.lengthOf(await keys.keys('token:*'), 1)
  })

  test('50 due rotations from two connections at once agree on one successor', async ({
    assert,
  }) => {
    const now = Date.now()
    const token = await newSession('7', now)
    const stores = [store, new RedisFamilyStore(otherInstance, APP_KEY, prefix)]

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        stores[index % 2].rotate(token, POLICY, now + 16 * MINUTE, true)
      )
    )

    const tokens = new Set(results)
    assert.equal(tokens.size, 1)
    assert.isFalse(tokens.has(null))
    assert.notInclude([...tokens], token)
    assert.lengthOf(await keys.keys('token:*'), 2)
  })

  test('an explicit rotation hands the data to the successor; the previous token leads to it', async ({
    assert,
  }) => {
    const now = Date.now()
    const token = await newSession('7', now)

    const next = await rotate(token, now)
    await store.write(next, overwrite({ role: 'admin' }, '7'), POLICY, now)

    assert.notEqual(next, token)
    assert.deepEqual(await store.peek(next), { role: 'admin' })
    assert.isNull(await store.peek(token))
    const previous = await store.resolve(token, POLICY, now + 1000)
    assert.deepInclude(previous, { kind: 'active', token: next, data: { role: 'admin' } })
    const third = await rotate(token, now)
    assert.notInclude([token, next], third, 'a rotated token leads on to the current one')
    assert.deepEqual(await store.peek(third), { role: 'admin' })
  })
  test(
    'the previous token within the grace window, of a family past its {$self}, is expired, not theft'
  )
    .with(['absolute lifetime', 'idle timeout'] as const)
    .run(async ({ assert }, how) => {
      /**
       * The family ends 10 s after its token rotated (a rotation is a use:
       * the idle deadline is then 10 s away): within the grace window of
       * that rotation.
       */
      const policy =
        how === 'absolute lifetime'
          ? { ...POLICY, absoluteLifetimeMs: 16 * MINUTE + 10_000 }
          : { ...POLICY, idleTimeoutMs: 10_000 }
      const now = Date.now()
      const token = generateSessionToken()
      await store.create(token, {}, { userId: '7', userAgent: null }, POLICY, now)
      assert.isNotNull(await store.rotate(token, policy, now + 16 * MINUTE, true))

      const late = await store.resolve(token, policy, now + 16 * MINUTE + 20_000)

      assert.equal(late.kind, 'expired')
      assert.deepEqual(await keys.theftMarkers(), [])
      assert.deepEqual(await keys.keys(), [], 'the expired family is deleted')
    })

  test(
    'a token after the grace window, or two generations old, of an ended family is expired ({$self})'
  )
    .with(['after the grace window', 'two generations old'] as const)
    .run(async ({ assert }, which) => {
      const policy = { ...POLICY, absoluteLifetimeMs: 20 * MINUTE }
      const now = Date.now()
      const token = generateSessionToken()
      await store.create(token, {}, { userId: '7', userAgent: null }, policy, now)
      const second = await rotate(token, now + MINUTE)
      if (which === 'two generations old') {
        await rotate(second, now + 2 * MINUTE)
      }

      const late = await store.resolve(token, policy, now + 21 * MINUTE)

      assert.equal(late.kind, 'expired')
      assert.deepEqual(await keys.theftMarkers(), [])
    })

  test(
    'a token is judged by when its request arrived: rotated after that, it leads to the current token ({$self})'
  )
    .with([1, 2, 3])
    .run(async ({ assert }, rotations) => {
      const now = Date.now()
      const token = await newSession('7', now)
      const arrivedAt = now + MINUTE
      /**
       * Other requests rotate the token while this one's body arrives;
       * its body ends long after the grace window.
       */
      let current = token
      for (let index = 1; index <= rotations; index++) {
        current = await rotate(current, arrivedAt + index * 1000)
      }

      const slow = await store.resolve(token, POLICY, arrivedAt + 5 * MINUTE, arrivedAt)

      assert.deepInclude(slow, { kind: 'active', token: current, rotated: true, userId: '7' })
      assert.deepEqual(await keys.theftMarkers(), [])
      const next = await store.resolve(current, POLICY, arrivedAt + 5 * MINUTE + 1)
      assert.deepInclude(next, { kind: 'active', token: current, rotated: false })
    })

  test('a request that arrived within the grace window leads to the current token, whenever its body ended', async ({
    assert,
  }) => {
    const now = Date.now()
    const token = await newSession('7', now)
    const second = await rotate(token, now)
    const arrivedAt = now + 20_000
    const third = await rotate(second, arrivedAt + 5000)

    const slow = await store.resolve(token, POLICY, arrivedAt + 2 * MINUTE, arrivedAt)

    assert.deepInclude(slow, { kind: 'active', token: third, rotated: true })
  })

  test('arrival time never excuses a late token: {$self} is theft')
    .with([
      'a token rotated more than the grace window before arrival',
      'a token two generations old at arrival',
    ] as const)
    .run(async ({ assert }, which) => {
      const now = Date.now()
      const token = await newSession('7', now)
      const second = await rotate(token, now)
      let arrivedAt = now + 31_000
      if (which === 'a token two generations old at arrival') {
        await rotate(second, now + 5000)
        arrivedAt = now + 10_000
      }

      const late = await store.resolve(token, POLICY, arrivedAt + 1000, arrivedAt)

      assert.deepInclude(late, { kind: 'theft', userId: '7', revokedNow: true })
    })
})
