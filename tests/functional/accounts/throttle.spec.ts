import { test } from '@japa/runner'
import { AppProcess, freshIp, Visitor, throttledServerEnv } from '#kit/testing'

/**
 * Small limits, so that a lock is reached in a few posts.
 */
const ACCOUNT_ATTEMPTS = 3
const IP_ATTEMPTS = 5
const LOCKOUT_SECONDS = 3600

/**
 * A browser on the spawned server, coming from its own address (sent as
 * "x-forwarded-for", which the server trusts from loopback: TRUST_PROXY).
 */
function visitorFrom(server: AppProcess, ip: string) {
  return new Visitor((path, init = {}) => {
    const headers = new Headers(init.headers)
    headers.set('x-forwarded-for', ip)
    return server.fetch(path, { ...init, headers })
  })
}

/**
 * Posts the form of `path` (its CSRF token included) `count` times and
 * returns the statuses.
 */
async function postTimes(
  visitor: Visitor,
  path: string,
  fields: Record<string, string>,
  count: number,
  options: { json?: boolean } = {}
) {
  const statuses: number[] = []
  for (let attempt = 0; attempt < count; attempt++) {
    const { token } = await visitor.form(path)
    const response = await visitor.post(path, { ...fields, _csrf: token }, options)
    statuses.push(response.status)
  }
  return statuses
}

test.group('Account forms are throttled like the sign-in', (group) => {
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

  test('forgot password: every post counts; past the limit for one address, 429 with Retry-After', async ({
    assert,
  }) => {
    const visitor = visitorFrom(server, freshIp())
    const fields = { email: 'demo@example.com' }
    const statuses = await postTimes(visitor, '/forgot-password', fields, ACCOUNT_ATTEMPTS)
    assert.notInclude(statuses, 429)

    const { token } = await visitor.form('/forgot-password')
    const refused = await visitor.post('/forgot-password', { ...fields, _csrf: token })
    assert.equal(refused.status, 429)
    assert.isAbove(Number(refused.headers.get('retry-after')), LOCKOUT_SECONDS - 60)
    assert.include(await refused.text(), 'Too many requests')
  })

  test('forgot password: the same address in another case shares the count', async ({ assert }) => {
    const visitor = visitorFrom(server, freshIp())
    await postTimes(visitor, '/forgot-password', { email: 'demo@example.com' }, ACCOUNT_ATTEMPTS)
    const statuses = await postTimes(visitor, '/forgot-password', { email: 'DEMO@Example.com' }, 1)
    assert.deepEqual(statuses, [429])
  })

  test('forgot password: another address from the same IP is counted apart, up to the IP limit', async ({
    assert,
  }) => {
    const visitor = visitorFrom(server, freshIp())
    await postTimes(visitor, '/forgot-password', { email: 'demo@example.com' }, ACCOUNT_ATTEMPTS)
    const other = await postTimes(
      visitor,
      '/forgot-password',
      { email: 'someone-else@example.com' },
      IP_ATTEMPTS - ACCOUNT_ATTEMPTS
    )
    assert.notInclude(other, 429)

    const third = await postTimes(visitor, '/forgot-password', { email: 'third@example.com' }, 1)
    assert.deepEqual(third, [429])
  })

  test('sign-up: past the limit for one address, 429 (an API client gets the JSON body)', async ({
    assert,
  }) => {
    const visitor = visitorFrom(server, freshIp())
    const fields = {
      email: `throttle-${Date.now()}@example.com`,
      password: 'short',
      password_confirmation: 'short',
    }
    const statuses = await postTimes(visitor, '/signup', fields, ACCOUNT_ATTEMPTS)
    assert.notInclude(statuses, 429)

    const { token } = await visitor.form('/signup')
    const refused = await visitor.post('/signup', { ...fields, _csrf: token }, { json: true })
    assert.equal(refused.status, 429)
    assert.exists(refused.headers.get('retry-after'))
    const body = (await refused.json()) as { errors: { code: string }[] }
    assert.equal(body.errors[0].code, 'E_TOO_MANY_REQUESTS')
  })

  test('reset password: wrong tokens are counted by IP; past the limit, 429', async ({
    assert,
  }) => {
    const visitor = visitorFrom(server, freshIp())
    const statuses: number[] = []
    for (let attempt = 0; attempt <= IP_ATTEMPTS; attempt++) {
      const path = `/reset-password/not-a-token-${attempt}`
      // A wrong token's page has no form: any of the visitor's forms carries its CSRF token
      const { token } = await visitor.form('/forgot-password')
      const response = await visitor.post(path, {
        password: 'a-new-password-1',
        password_confirmation: 'a-new-password-1',
        _csrf: token,
      })
      statuses.push(response.status)
    }
    assert.deepEqual(statuses.slice(0, IP_ATTEMPTS), new Array(IP_ATTEMPTS).fill(400))
    assert.equal(statuses[IP_ATTEMPTS], 429)
  })
})
