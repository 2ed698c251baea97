import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { LIMITER_TABLE } from '#config/limiter'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'
import { AppProcess, attemptSignIn, failSignIns, freshIp, signedIn } from '#kit/testing'

/**
 * A lockout that cannot end during a test.
 */
const LOCKOUT = '3600s'

/**
 * Every spawned server signs in from 127.0.0.1 into the same SQLite
 * database: the throttle's counters of that address (left by other
 * tests, or by the previous test here) are cleared, so each test starts
 * from none.
 */
async function forgetLoopbackCounters() {
  await db.from(LIMITER_TABLE).where('key', 'like', '%:127.0.0.1%').delete()
}

/**
 * The keys of the throttle's counters.
 */
async function limiterKeys(): Promise<string[]> {
  const rows = await db.from(LIMITER_TABLE).select('key')
  return rows.map((row) => row.key)
}

/**
 * The answers to failed sign-ins: back to the form each time.
 */
function backToForm(count: number) {
  return Array.from({ length: count }, () => ({ status: 302, location: '/login' }))
}

test.group('Client address | TRUST_PROXY unset: X-Forwarded-For is not trusted', (group) => {
  let accountLimited: AppProcess
  let ipLimited: AppProcess
  group.setup(async () => {
    ;[accountLimited, ipLimited] = await Promise.all([
      AppProcess.start({ THROTTLE_ACCOUNT_ATTEMPTS: '3', THROTTLE_LOCKOUT: LOCKOUT }),
      AppProcess.start({ THROTTLE_IP_ATTEMPTS: '3', THROTTLE_LOCKOUT: LOCKOUT }),
    ])
    return async () => {
      await Promise.all([accountLimited?.stop(), ipLimited?.stop()])
      await forgetLoopbackCounters()
    }
  })
  group.each.setup(() => forgetLoopbackCounters())

  test('a new X-Forwarded-For on each attempt does not get round the account lockout', async ({
    assert,
  }) => {
    const since = accountLimited.output.length
    assert.deepEqual(
      await failSignIns(accountLimited, 'demo@example.com', freshIp, 3),
      backToForm(3)
    )

    const right = await attemptSignIn(accountLimited, {
      email: 'demo@example.com',
      password: DEMO_PASSWORD,
      ip: freshIp(),
      requestId: 'unforwarded-locked',
    })
    assert.equal(right.status, 429)

    await accountLimited.waitForOutput(/"request_id":"unforwarded-locked"/, 10_000, since)
    const failed = accountLimited.logLines(since).filter((line) => line.event === 'sign_in.failed')
    assert.deepEqual(
      failed.map((line) => line.ip),
      ['127.0.0.1', '127.0.0.1', '127.0.0.1']
    )
  })

  test('a new X-Forwarded-For on each attempt does not get round the address lockout', async ({
    assert,
  }) => {
    for (const email of ['demo@example.com', 'admin@example.com', 'nobody@example.com']) {
      assert.deepEqual(await failSignIns(ipLimited, email, freshIp, 1), backToForm(1))
    }

    const right = await attemptSignIn(ipLimited, {
      email: 'unverified@example.com',
      password: DEMO_PASSWORD,
      ip: freshIp(),
    })
    assert.equal(right.status, 429)
  })
})

test.group('Client address | TRUST_PROXY=loopback: a proxy on the same host', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start({
      TRUST_PROXY: 'loopback',
      THROTTLE_ACCOUNT_ATTEMPTS: '3',
      THROTTLE_LOCKOUT: LOCKOUT,
    })
    return async () => {
      await server?.stop()
      await forgetLoopbackCounters()
    }
  })
  group.each.setup(() => forgetLoopbackCounters())

  test('the forwarded client address is the one counted and logged', async ({ assert }) => {
    const ip = freshIp()
    const since = server.output.length
    assert.deepEqual(await failSignIns(server, 'admin@example.com', ip, 3), backToForm(3))
    const locked = await attemptSignIn(server, {
      email: 'admin@example.com',
      password: DEMO_PASSWORD,
      ip,
      requestId: 'forwarded-locked',
    })
    assert.equal(locked.status, 429)

    await server.waitForOutput(/"request_id":"forwarded-locked"/, 10_000, since)
    const failed = server.logLines(since).filter((line) => line.event === 'sign_in.failed')
    assert.deepEqual(
      failed.map((line) => line.ip),
      [ip, ip, ip]
    )
    const keys = await limiterKeys()
    assert.isTrue(keys.some((key) => key.endsWith(`sign_in:ip:${ip}`)))

    const elsewhere = await attemptSignIn(server, {
      email: 'admin@example.com',
      password: DEMO_PASSWORD,
      ip: freshIp(),
    })
    assert.isTrue(signedIn(elsewhere), `answered ${elsewhere.status}`)
  })

  test('a forwarded value that is not an IP address is never used as one: {name}')
    .with([
      { name: 'a word', value: 'not-an-ip' },
      { name: 'markup', value: '<img src=x>' },
      { name: '300 characters', value: 'forged'.repeat(50) },
      { name: 'an address with a port', value: '203.0.113.9:8080' },
    ])
    .run(async ({ assert }, { name, value }) => {
      const since = server.output.length
      const requestId = `forwarded-${name.replaceAll(' ', '-')}`
      const response = await attemptSignIn(server, {
        email: 'demo@example.com',
        password: 'wrong',
        ip: value,
        accept: 'application/json',
        requestId,
      })
      assert.equal(response.status, 400)

      await server.waitForOutput(new RegExp(`"request_id":"${requestId}"`), 10_000, since)
      const failed = server.logLines(since).filter((line) => line.event === 'sign_in.failed')
      assert.lengthOf(failed, 1)
      assert.equal(failed[0].ip, '127.0.0.1')
      assert.notInclude(server.output.slice(since), value)

      const keys = await limiterKeys()
      assert.isTrue(keys.some((key) => key.endsWith('sign_in:ip:127.0.0.1')))
      assert.isFalse(keys.some((key) => key.includes(value)))
    })
})

test.group('Client address | a TRUST_PROXY the app cannot read', () => {
  test('stops the boot with what it accepts: {$self}')
    .with(['true', '10.0.0.0/40', 'nginx'])
    .run(async ({ assert }, value) => {
      const server = new AppProcess({ NODE_ENV: 'production', PORT: '0', TRUST_PROXY: value })
      const exitCode = await server.waitForExit()

      assert.notEqual(exitCode, 0)
      assert.include(server.output, `"TRUST_PROXY" cannot trust "${value}"`)
      assert.notInclude(server.output, 'started HTTP server')
    })
    .timeout(60_000)
})
