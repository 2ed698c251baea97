import { setTimeout as sleep } from 'node:timers/promises'
import { test } from '@japa/runner'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'
import { AppProcess, attemptSignIn, freshIp, signedIn, throttledServerEnv } from '#kit/testing'

/**
 * Small limits, so that a lock is reached in a few requests.
 */
const ACCOUNT_ATTEMPTS = 3
const IP_ATTEMPTS = 7

/**
 * `count` wrong passwords for `email` from `ip`, each answered as a
 * failure (back to the form).
 */
async function failTimes(server: AppProcess, email: string, ip: string, count: number) {
  for (let attempt = 0; attempt < count; attempt++) {
    const response = await attemptSignIn(server, { email, password: 'wrong-password', ip })
    if (response.status !== 302 || response.headers.get('location') !== '/login') {
      throw new Error(`attempt ${attempt + 1} answered ${response.status}`)
    }
  }
}

/**
 * The Retry-After of a response, in seconds.
 */
function retryAfterOf(response: Response) {
  return Number(response.headers.get('retry-after'))
}

/**
 * A lockout of an hour: it cannot end during a test, and Retry-After
 * says how much of it is left (3600 s, or a little less).
 */
const LOCKOUT_SECONDS = 3600

test.group('Sign-in throttle | one instance, limiter state in SQLite', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start(
      throttledServerEnv({
        accountAttempts: ACCOUNT_ATTEMPTS,
        ipAttempts: IP_ATTEMPTS,
        lockoutSeconds: LOCKOUT_SECONDS,
      })
    )
  })
  group.teardown(async () => {
    await server?.stop()
  })

  /**
   * Asserts the Retry-After of a fresh lockout.
   */
  function assertFreshLockout(assert: any, response: Response) {
    assert.isAtMost(retryAfterOf(response), LOCKOUT_SECONDS)
    assert.isAbove(retryAfterOf(response), LOCKOUT_SECONDS - 60)
  }

  test('after the allowed wrong passwords, even the right one is refused: 429 with Retry-After', async ({
    assert,
  }) => {
    const ip = freshIp()
    await failTimes(server, 'demo@example.com', ip, ACCOUNT_ATTEMPTS)

    const right = await attemptSignIn(server, {
      email: 'demo@example.com',
      password: DEMO_PASSWORD,
      ip,
    })

    assert.equal(right.status, 429)
    assertFreshLockout(assert, right)
    assert.match(right.headers.get('content-type')!, /^text\/html/)
    assert.include(await right.text(), 'Too many requests')
    assert.notExists(right.headers.get('location'))
  })

  test('the lock covers the account whatever the case or spaces of the email: {$self}')
    .with(['DEMO@EXAMPLE.COM', 'Demo@Example.com', '  demo@example.com '])
    .run(async ({ assert }, variant) => {
      const ip = freshIp()
      await failTimes(server, 'demo@example.com', ip, ACCOUNT_ATTEMPTS - 1)
      await failTimes(server, variant, ip, 1)

      const right = await attemptSignIn(server, {
        email: 'demo@example.com',
        password: DEMO_PASSWORD,
        ip,
      })
      assert.equal(right.status, 429)
    })

  test('a locked account+IP leaves the same account from another IP alone', async ({ assert }) => {
    const ip = freshIp()
    await failTimes(server, 'demo@example.com', ip, ACCOUNT_ATTEMPTS)

    const elsewhere = await attemptSignIn(server, {
      email: 'demo@example.com',
      password: DEMO_PASSWORD,
      ip: freshIp(),
    })
    assert.isTrue(signedIn(elsewhere))
  })

  test('a successful sign-in clears the failures of that account+IP', async ({ assert }) => {
    const ip = freshIp()
    await failTimes(server, 'demo@example.com', ip, ACCOUNT_ATTEMPTS - 1)
    const right = await attemptSignIn(server, {
      email: 'demo@example.com',
      password: DEMO_PASSWORD,
      ip,
    })
    assert.isTrue(signedIn(right))

    await failTimes(server, 'demo@example.com', ip, ACCOUNT_ATTEMPTS - 1)
    const again = await attemptSignIn(server, {
      email: 'demo@example.com',
      password: DEMO_PASSWORD,
      ip,
    })
    assert.isTrue(signedIn(again))
  })

  test('an invalid form is not a failed attempt', async ({ assert }) => {
    const ip = freshIp()
    for (let attempt = 0; attempt < ACCOUNT_ATTEMPTS + 1; attempt++) {
      const invalid = await attemptSignIn(server, { email: 'demo@example.com', password: '', ip })
      assert.equal(invalid.status, 302)
    }
    const right = await attemptSignIn(server, {
      email: 'demo@example.com',
      password: DEMO_PASSWORD,
      ip,
    })
    assert.isTrue(signedIn(right))
  })

  test('one IP failing across accounts is locked out for every account', async ({ assert }) => {
    const ip = freshIp()
    const accounts = ['demo@example.com', 'admin@example.com', 'unverified@example.com']
    for (const email of accounts) {
      await failTimes(server, email, ip, ACCOUNT_ATTEMPTS - 1)
    }
    await failTimes(
      server,
      'nobody@example.com',
      ip,
      IP_ATTEMPTS - accounts.length * (ACCOUNT_ATTEMPTS - 1)
    )

    const right = await attemptSignIn(server, {
      email: 'demo@example.com',
      password: DEMO_PASSWORD,
      ip,
    })
    assert.equal(right.status, 429)
    assertFreshLockout(assert, right)

    const otherIp = await attemptSignIn(server, {
      email: 'demo@example.com',
      password: DEMO_PASSWORD,
      ip: freshIp(),
    })
    assert.isTrue(signedIn(otherIp))
  })

  test('API clients get a 429 body in their format, with Retry-After: {accept}')
    .with([
      { accept: 'application/json', contentType: 'application/json' },
      { accept: 'application/vnd.api+json', contentType: 'application/vnd.api+json' },
      { accept: 'application/problem+json', contentType: 'application/problem+json' },
    ])
    .run(async ({ assert }, { accept, contentType }) => {
      const ip = freshIp()
      await failTimes(server, 'unverified@example.com', ip, ACCOUNT_ATTEMPTS)

      const refused = await attemptSignIn(server, {
        email: 'unverified@example.com',
        password: DEMO_PASSWORD,
        ip,
        accept,
        requestId: 'throttle-body-1',
      })

      assert.equal(refused.status, 429)
      assertFreshLockout(assert, refused)
      assert.isTrue(refused.headers.get('content-type')!.startsWith(contentType))
      const body: any = await refused.json()
      const text = JSON.stringify(body)
      assert.include(text, 'E_TOO_MANY_REQUESTS')
      assert.include(text, 'throttle-body-1')
      if (accept === 'application/problem+json') {
        assert.equal(body.status, 429)
        assert.equal(body.title, 'Too Many Requests')
      } else {
        assert.equal(Number(body.errors[0].status), 429)
      }
    })

  test('failed, locking and refused sign-ins are logged with the IP, request id and a masked email, never the password', async ({
    assert,
  }) => {
    const ip = freshIp()
    const since = server.output.length
    const secret = 'Sup3r-secret-guess'
    for (let attempt = 1; attempt <= ACCOUNT_ATTEMPTS; attempt++) {
      await attemptSignIn(server, {
        email: 'Demo@Example.com',
        password: secret,
        ip,
        requestId: `throttle-log-${attempt}`,
      })
    }
    await attemptSignIn(server, {
      email: 'demo@example.com',
      password: DEMO_PASSWORD,
      ip,
      requestId: 'throttle-log-refused',
    })

    await server.waitForOutput(/"request_id":"throttle-log-refused"/, 10_000, since)
    const lines = server.logLines(since).filter((line) => line.ip === ip)
    const failed = lines.filter((line) => line.event === 'sign_in.failed')
    assert.lengthOf(failed, ACCOUNT_ATTEMPTS)
    assert.deepEqual(
      failed.map((line) => line.request_id),
      ['throttle-log-1', 'throttle-log-2', 'throttle-log-3']
    )
    for (const line of failed) {
      assert.equal(line.level, 40)
      assert.equal(line.email, 'd***@example.com')
      assert.match(line.emailHash, /^[0-9a-f]{16}$/)
    }
    assert.equal(failed[0].emailHash, failed[2].emailHash)

    const locked = lines.find((line) => line.event === 'sign_in.locked')
    assert.exists(locked)
    assert.include(locked, {
      request_id: 'throttle-log-3',
      scope: 'account',
      lockoutSeconds: LOCKOUT_SECONDS,
      lockouts: 1,
    })

    const refused = lines.find((line) => line.event === 'sign_in.throttled')
    assert.exists(refused)
    assert.include(refused, {
      request_id: 'throttle-log-refused',
      scope: 'account',
      email: 'd***@example.com',
      emailHash: failed[0].emailHash,
    })
    assert.isAbove(refused!.retryAfter, LOCKOUT_SECONDS - 60)

    const output = server.output.slice(since)
    assert.notInclude(output, secret)
    assert.notInclude(output.toLowerCase(), 'demo@example.com')
  })
})

test.group('Sign-in throttle | the lock ends', (group) => {
  /**
   * A first lockout of 3 s: long enough for the refused attempt to arrive
   * within it on a busy machine, short enough to wait out.
   */
  const SHORT_LOCKOUT = 3
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start({
      TRUST_PROXY: 'loopback',
      THROTTLE_ACCOUNT_ATTEMPTS: String(ACCOUNT_ATTEMPTS),
      THROTTLE_LOCKOUT: `${SHORT_LOCKOUT}s`,
    })
  })
  group.teardown(async () => {
    await server?.stop()
  })

  test('the lock ends after Retry-After; the next one lasts twice as long, and ends too', async ({
    assert,
  }) => {
    const ip = freshIp()
    const rightPassword = () =>
      attemptSignIn(server, { email: 'admin@example.com', password: DEMO_PASSWORD, ip })

    await failTimes(server, 'admin@example.com', ip, ACCOUNT_ATTEMPTS)
    const first = await rightPassword()
    assert.equal(first.status, 429)
    assert.isAtMost(retryAfterOf(first), SHORT_LOCKOUT)
    assert.isAbove(retryAfterOf(first), 0)

    await sleep(retryAfterOf(first) * 1000 + 250)
    await failTimes(server, 'admin@example.com', ip, ACCOUNT_ATTEMPTS)
    const second = await rightPassword()
    assert.equal(second.status, 429)
    assert.isAtMost(retryAfterOf(second), 2 * SHORT_LOCKOUT)
    assert.isAbove(retryAfterOf(second), SHORT_LOCKOUT)

    await sleep(retryAfterOf(second) * 1000 + 250)
    const after = await rightPassword()
    assert.isTrue(signedIn(after), `answered ${after.status}`)
  })
})
