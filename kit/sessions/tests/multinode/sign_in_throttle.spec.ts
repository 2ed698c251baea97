import { setTimeout as sleep } from 'node:timers/promises'
import { test } from '@japa/runner'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'
import { Cluster, needsServices, attemptSignIn, failSignIns, freshIp, signedIn } from '#kit/testing'

const ACCOUNT_ATTEMPTS = 3

/**
 * The first lockout, in seconds: long enough for the refused attempts to
 * arrive within it, short enough to wait out.
 */
const LOCKOUT = 3

/**
 * The sign-in throttle on two instances: failures counted on either add
 * up, and a lock set by one is enforced by both. Its state follows
 * SESSION_DRIVER: Redis keys with sessions in Redis, the "rate_limits"
 * table of PostgreSQL with sessions in PostgreSQL.
 */
for (const driver of ['redis', 'database'] as const) {
  const where = driver === 'redis' ? 'Redis' : 'PostgreSQL'
  test.group(`Multi-node | sign-in throttle in ${where}`, (group) => {
    needsServices(group)
    const cluster = new Cluster(driver, {
      TRUST_PROXY: 'loopback',
      THROTTLE_ACCOUNT_ATTEMPTS: String(ACCOUNT_ATTEMPTS),
      THROTTLE_LOCKOUT: `${LOCKOUT}s`,
    })
    group.setup(async () => {
      await cluster.start()
    })
    group.teardown(() => cluster.stop())

    test('wrong passwords on A and B add up; the lock holds on both, then ends on both', async ({
      assert,
    }) => {
      const ip = freshIp()
      const servers = [cluster.a, cluster.b, cluster.a]
      for (const server of servers) {
        const wrong = await attemptSignIn(server, {
          email: 'demo@example.com',
          password: 'wrong-password',
          ip,
        })
        assert.equal(wrong.headers.get('location'), '/login')
      }

      let retryAfter = 0
      for (const server of [cluster.b, cluster.a]) {
        const right = await attemptSignIn(server, {
          email: 'DEMO@example.com',
          password: DEMO_PASSWORD,
          ip,
          accept: 'application/json',
        })
        assert.equal(right.status, 429)
        retryAfter = Number(right.headers.get('retry-after'))
        assert.isAtMost(retryAfter, LOCKOUT)
        assert.isAbove(retryAfter, 0)
        const body: any = await right.json()
        assert.deepInclude(body.errors[0], {
          status: 429,
          code: 'E_TOO_MANY_REQUESTS',
        })
      }

      await sleep(retryAfter * 1000 + 250)
      const after = await attemptSignIn(cluster.a, {
        email: 'demo@example.com',
        password: DEMO_PASSWORD,
        ip,
        postTo: cluster.b,
      })
      assert.isTrue(signedIn(after), `answered ${after.status}`)
    })

    test(`the limiter keeps its state in ${where}, keyed without the email in clear`, async ({
      assert,
    }) => {
      const ip = freshIp()
      await attemptSignIn(cluster.b, { email: 'admin@example.com', password: 'wrong', ip })

      const keys = driver === 'redis' ? await cluster.limiterKeys() : await cluster.limiterRows()
      const ours = keys.filter((key) => key.includes(ip))
      assert.lengthOf(ours, 2)
      assert.isTrue(ours.some((key) => key.includes(`sign_in:ip:${ip}`)))
      assert.isFalse(keys.some((key) => key.includes('admin@example.com')))
    })

    test(`a client address of 300+ characters still counts in ${where}, never a 500: {name}`)
      .with([
        {
          name: 'an IPv6 address with a long zone (an IP address: it is the client)',
          forwarded: () => `${freshIpv6()}%${'z'.repeat(300)}`,
          counted: (forwarded: string) => forwarded,
        },
        {
          name: 'not an IP address (the proxy is the client)',
          forwarded: () => 'forged-'.repeat(50),
          counted: () => '127.0.0.1',
        },
      ])
      .run(async ({ assert }, { forwarded, counted }) => {
        const ip = forwarded()
        assert.isAbove(ip.length, 300)
        const email = 'admin@example.com'
        const answers = await failSignIns(cluster.a, email, ip, ACCOUNT_ATTEMPTS)
        assert.deepEqual(answers, Array(ACCOUNT_ATTEMPTS).fill({ status: 302, location: '/login' }))

        const right = await attemptSignIn(cluster.b, {
          email,
          password: DEMO_PASSWORD,
          ip,
          accept: 'application/json',
        })
        assert.equal(right.status, 429)

        const keys = driver === 'redis' ? await cluster.limiterKeys() : await cluster.limiterRows()
        assert.isTrue(keys.every((key) => key.length <= 255))
        if (counted(ip) !== ip) {
          assert.isTrue(keys.some((key) => key.endsWith(`sign_in:ip:${counted(ip)}`)))
        }
      })
  })
}

/**
 * A random address in 2001:db8::/32 (documentation): each test gets
 * throttle keys of its own.
 */
function freshIpv6(): string {
  return `2001:db8::${freshIp().split('.').slice(1).map(Number).join(':')}`
}

test.group('Multi-node | sign-in throttle store down', (group) => {
  needsServices(group)
  const cluster = new Cluster('database', { LIMITER_STORE: 'redis', TRUST_PROXY: 'loopback' })
  group.setup(async () => {
    await cluster.start()
  })
  group.teardown(() => cluster.stop())

  test('Redis refusing connections: sign-in on B answers 503, never a sign-in without the throttle; A signs in', async ({
    assert,
  }) => {
    await cluster.proxies.redis.refuse()
    try {
      const refused = await attemptSignIn(cluster.b, {
        email: 'demo@example.com',
        password: DEMO_PASSWORD,
        ip: freshIp(),
        accept: 'application/json',
      })
      assert.equal(refused.status, 503)
      assert.equal(refused.headers.get('retry-after'), '5')
      const body: any = await refused.json()
      assert.equal(body.errors[0].code, 'E_SERVICE_UNAVAILABLE')

      const page = await attemptSignIn(cluster.b, {
        email: 'demo@example.com',
        password: DEMO_PASSWORD,
        ip: freshIp(),
      })
      assert.equal(page.status, 503)
      assert.isFalse(signedIn(page))

      const onA = await attemptSignIn(cluster.a, {
        email: 'demo@example.com',
        password: DEMO_PASSWORD,
        ip: freshIp(),
      })
      assert.isTrue(signedIn(onA))
    } finally {
      await cluster.proxies.redis.restore()
    }
  })
})
