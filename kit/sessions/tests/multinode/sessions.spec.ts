import { test } from '@japa/runner'
import {
  Cluster,
  needsServices,
  RedisSessionInspector,
  cookiesOf,
  csrfTokenOf,
  firstErrorOf,
  getJson,
  getPage,
  htmlOf,
  postForm,
  sessionCookieOf,
  signIn,
  statusOf,
} from '#kit/testing'

const MINUTE = 60_000

/**
 * The session cookies a response set: "name=value", or "name=; cleared"
 * for one that clears the cookie.
 */
function sessionSetCookies(response: Response) {
  return response.headers
    .getSetCookie()
    .filter((cookie) => cookie.startsWith('__Host-session='))
    .map((cookie) =>
      /Expires=Thu, 01 Jan 1970/.test(cookie)
        ? `${cookie.split(';')[0]}; cleared`
        : cookie.split(';')[0]
    )
}

/**
 * The session behaviours of the session issue, on two instances sharing
 * Redis and PostgreSQL: a request may land on either. Run once with
 * sessions in Redis and once with sessions in the PostgreSQL table.
 */
for (const driver of ['redis', 'database'] as const) {
  test.group(`Multi-node | sessions in ${driver === 'redis' ? 'Redis' : 'PostgreSQL'}`, (group) => {
    needsServices(group)
    const cluster = new Cluster(driver)
    group.setup(async () => {
      await cluster.start()
    })
    group.teardown(() => cluster.stop())
    group.each.setup(() => cluster.sessions?.clear())

    test('signed in on A, the session works on B', async ({ assert }) => {
      const { cookie } = await signIn(cluster.a, 'demo@example.com')

      const me = await getJson(cluster.b, '/api/me', cookie)
      assert.equal(me.status, 200)
      assert.deepInclude(await me.json(), { email: 'demo@example.com' })
      const dashboard = await getPage(cluster.b, '/dashboard', cookie)
      assert.equal(dashboard.status, 200)
    })

    /**
     * The sessions the store holds: Redis keys under the cluster's prefix,
     * or rows of the PostgreSQL table.
     */
    async function storedSessions() {
      if (cluster.sessions instanceof RedisSessionInspector) {
        const keys = await cluster.sessions.keys()
        return keys.length
      }
      const [{ total }] = await cluster.db.from(cluster.sessionTable).count('* as total')
      return Number(total)
    }

    test('cookie-less visits of the login form store nothing on A or B', async ({ assert }) => {
      const before = await storedSessions()

      for (let i = 0; i < 200; i++) {
        const form = await (i % 2 ? cluster.a : cluster.b).fetch('/login')
        assert.equal(form.status, 200)
        assert.match(form.headers.getSetCookie().join('\n'), /^__Host-csrf=/)
        await form.body?.cancel()
      }

      assert.equal(await storedSessions(), before)
    })

    test('a failed sign-in on B, from the form of A, shows its message once', async ({
      assert,
    }) => {
      const form = await cluster.a.fetch('/login')
      const csrf = csrfTokenOf(await form.text())

      const failed = await cluster.b.fetch('/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'cookie': cookiesOf(form) },
        body: new URLSearchParams({ email: 'demo@example.com', password: 'wrong', _csrf: csrf }),
      })
      assert.equal(failed.status, 302)
      const cookie = sessionCookieOf(failed)!
      assert.exists(cookie)
      assert.isAbove(await storedSessions(), 0)

      assert.include(await htmlOf(getPage(cluster.a, '/login', cookie)), 'Invalid user credentials')
      assert.notInclude(
        await htmlOf(getPage(cluster.b, '/login', cookie)),
        'Invalid user credentials'
      )
    })

    test('the login form of A is accepted by B (one CSRF secret for both)', async ({ assert }) => {
      const { cookie } = await signIn(cluster.a, 'demo@example.com', { login: cluster.b })

      const me = await getJson(cluster.a, '/api/me', cookie)
      assert.equal(me.status, 200)
    })

    test('rotated on A, the previous token on B within the grace window gives the same successor', async ({
      assert,
    }) => {
      const { cookie: first } = await signIn(cluster.a, 'demo@example.com')
      await cluster.sessions.travel(16 * MINUTE)
      const rotated = await getJson(cluster.a, '/api/me', first)
      const second = sessionCookieOf(rotated)!
      assert.equal(rotated.status, 200)
      assert.notEqual(second, first)

      const late = await getJson(cluster.b, '/api/me', first)

      assert.equal(late.status, 200)
      assert.equal(sessionCookieOf(late), second)
      assert.equal(await cluster.sessions.currentSignedInTokens(), 1)
    })

    test('rotated on A, the previous token on B after the grace window is theft: both instances reject both tokens', async ({
      assert,
    }) => {
      const { cookie: first } = await signIn(cluster.a, 'demo@example.com')
      await cluster.sessions.travel(16 * MINUTE)
      const second = sessionCookieOf(await getJson(cluster.a, '/api/me', first))!
      await cluster.sessions.travel(31_000)

      const theft = await cluster.b.fetch('/api/me', {
        headers: { 'accept': 'application/json', 'cookie': first, 'x-request-id': 'mn-theft' },
      })

      assert.equal(theft.status, 401)
      assert.deepInclude(await firstErrorOf(theft), { code: 'E_TOKEN_THEFT_DETECTED' })
      assert.deepEqual(sessionSetCookies(theft), ['__Host-session=; cleared'])
      for (const server of [cluster.a, cluster.b]) {
        for (const cookie of [first, second]) {
          const response = await getJson(server, '/api/me', cookie)
          assert.equal(response.status, 401)
          assert.deepEqual(sessionSetCookies(response), ['__Host-session=; cleared'])
          /**
           * Both stores keep a family revoked for theft until it expires
           * (emptied rows, or a marker in Redis), so its tokens keep
           * answering theft: whoever comes second learns why too.
           */
          assert.deepInclude(await firstErrorOf(response), { code: 'E_TOKEN_THEFT_DETECTED' })
        }
      }
      await cluster.b.waitForOutput(/"request_id":"mn-theft"/)
      const line = cluster.b.logLines().find((entry) => entry.request_id === 'mn-theft')!
      assert.equal(line.event, 'session.theft_detected')
      assert.equal(await cluster.sessions.currentSignedInTokens(), 0)

      const { cookie: again } = await signIn(cluster.a, 'demo@example.com')
      const list = await htmlOf(getPage(cluster.b, '/sessions', again))
      assert.lengthOf(list.match(/<time datetime=/g) ?? [], 2, 'the revoked family is not listed')
    })

    test('with theft detection off, the previous token on B after the grace window is refused; the current one works on both', async ({
      assert,
      cleanup,
    }) => {
      for (const server of [cluster.a, cluster.b]) {
        assert.equal(await statusOf(server.fetch('/__test__/settings/theft-detection/off')), 200)
      }
      cleanup(async () => {
        for (const server of [cluster.a, cluster.b]) {
          await server.fetch('/__test__/settings/theft-detection/on')
        }
      })
      const { cookie: first } = await signIn(cluster.a, 'demo@example.com')
      await cluster.sessions.travel(16 * MINUTE)
      const second = sessionCookieOf(await getJson(cluster.a, '/api/me', first))!
      await cluster.sessions.travel(31_000)
      const logged = cluster.b.output.length

      const reuse = await cluster.b.fetch('/api/me', {
        headers: { 'accept': 'application/json', 'cookie': first, 'x-request-id': 'mn-stale' },
      })

      assert.equal(reuse.status, 401)
      assert.deepInclude(await firstErrorOf(reuse), { code: 'E_UNAUTHORIZED', reason: 'revoked' })
      for (const server of [cluster.a, cluster.b]) {
        assert.equal(await statusOf(getJson(server, '/api/me', second)), 200)
      }
      assert.equal(await cluster.sessions.currentSignedInTokens(), 1)
      await cluster.b.fetch('/__test__/faults/log-flood?lines=0&marker=mn-stale-done')
      await cluster.b.waitForOutput(/mn-stale-done/, 10_000, logged)
      assert.notInclude(cluster.b.output.slice(logged), 'session.theft_detected')
    })

    test('a token two generations old, used on B, is theft even inside the grace window', async ({
      assert,
    }) => {
      const { cookie: first } = await signIn(cluster.a, 'demo@example.com')
      await cluster.sessions.travel(16 * MINUTE)
      const second = sessionCookieOf(await getJson(cluster.a, '/api/me', first))!
      await cluster.sessions.travel(16 * MINUTE)
      const third = sessionCookieOf(await getJson(cluster.a, '/api/me', second))!

      const theft = await getJson(cluster.b, '/api/me', first)

      assert.equal(theft.status, 401)
      assert.deepInclude(await firstErrorOf(theft), { code: 'E_TOKEN_THEFT_DETECTED' })
      assert.equal(await statusOf(getJson(cluster.a, '/api/me', third)), 401)
    })

    test('50 requests split across A and B at a rotation: one successor, no theft', async ({
      assert,
    }) => {
      const { cookie: first } = await signIn(cluster.a, 'demo@example.com')
      await cluster.sessions.travel(16 * MINUTE)
      const servers = [cluster.a, cluster.b]
      const logged = servers.map((server) => server.output.length)

      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          getJson(index % 2 ? cluster.b : cluster.a, '/api/me', first)
        )
      )

      assert.deepEqual([...new Set(responses.map((response) => response.status))], [200])
      const cookies = new Set(responses.map((response) => sessionCookieOf(response)))
      assert.equal(cookies.size, 1)
      assert.notInclude([...cookies], first)
      assert.equal(await cluster.sessions.currentSignedInTokens(), 1)
      servers.forEach((server, index) => {
        assert.notInclude(server.output.slice(logged[index]), 'session.theft_detected')
      })
      const [successor] = cookies
      assert.equal(await statusOf(getJson(cluster.b, '/api/me', successor!)), 200)
    }).timeout(60_000)

    test('an idle session expires on every instance', async ({ assert }) => {
      const { cookie } = await signIn(cluster.a, 'demo@example.com')
      await cluster.sessions.travel(2 * 60 * MINUTE + 1000)

      const response = await getJson(cluster.b, '/api/me', cookie)

      assert.equal(response.status, 401)
      assert.deepInclude(await firstErrorOf(response), {
        code: 'E_UNAUTHORIZED',
        reason: 'expired',
      })
    })

    test('claims are checked on every instance', async ({ assert }) => {
      const { cookie: admin } = await signIn(cluster.a, 'admin@example.com')
      const { cookie: unverified } = await signIn(cluster.a, 'unverified@example.com')

      assert.equal(await statusOf(getPage(cluster.b, '/admin', admin)), 200)
      const billing = await getJson(cluster.b, '/billing', unverified)
      assert.equal(billing.status, 403)
      const body: any = await billing.json()
      assert.equal(body.errors[0].code, 'E_INVALID_CLAIM')
      assert.equal(body.errors[0].claimValidationErrors[0].id, 'email-verified')
    })

    test('a role change seen on B rotates the token; the previous one still works on A within the grace window', async ({
      assert,
    }) => {
      const { cookie: first } = await signIn(cluster.a, 'demo@example.com')
      assert.equal(await statusOf(getJson(cluster.a, '/admin', first)), 403)

      await cluster.db.from('users').where('email', 'demo@example.com').update({ role: 'admin' })
      try {
        await cluster.sessions.staleClaims()
        const promoted = await getPage(cluster.b, '/admin', first)
        const second = sessionCookieOf(promoted)!

        assert.equal(promoted.status, 200)
        assert.notEqual(second, first)
        const previous = await getJson(cluster.a, '/api/me', first)
        assert.equal(previous.status, 200)
        assert.equal(sessionCookieOf(previous), second)
        assert.equal(await cluster.sessions.currentSignedInTokens(), 1)
      } finally {
        await cluster.db.from('users').where('email', 'demo@example.com').update({ role: 'user' })
      }
    })

    test('signing out on A ends the session on B', async ({ assert }) => {
      const { cookie } = await signIn(cluster.a, 'demo@example.com')

      const logout = await postForm(cluster.a, '/logout', cookie, '/dashboard')

      assert.equal(logout.status, 302)
      const reuse = await getJson(cluster.b, '/api/me', cookie)
      assert.equal(reuse.status, 401)
    })

    test('the session list on B shows the sessions signed in on A and B; "sign out everywhere" ends them all', async ({
      assert,
    }) => {
      const { cookie: onA } = await signIn(cluster.a, 'demo@example.com')
      const { cookie: onB } = await signIn(cluster.b, 'demo@example.com')

      const list = await htmlOf(getPage(cluster.b, '/sessions', onB))
      assert.lengthOf(list.match(/<time datetime=/g) ?? [], 4)
      assert.include(list, '(this session)')

      const everywhere = await postForm(cluster.b, '/logout/all', onB, '/sessions')

      assert.equal(everywhere.status, 302)
      assert.equal(await statusOf(getJson(cluster.a, '/api/me', onA)), 401)
      assert.equal(await statusOf(getJson(cluster.b, '/api/me', onB)), 401)
      assert.equal(await cluster.sessions.currentSignedInTokens(), 0)
    })

    test('a session revoked from the list on A ends on B', async ({ assert }) => {
      const { cookie: onA } = await signIn(cluster.a, 'demo@example.com')
      const { cookie: onB } = await signIn(cluster.b, 'demo@example.com')
      const list = await htmlOf(getPage(cluster.a, '/sessions', onA))
      const revoke = list.match(/action="(\/sessions\/[^"]+\/revoke)"/)![1]

      const revoked = await postForm(cluster.a, revoke, onA, '/sessions')

      assert.equal(revoked.status, 302)
      assert.equal(await statusOf(getJson(cluster.b, '/api/me', onB)), 401)
      assert.equal(await statusOf(getJson(cluster.b, '/api/me', onA)), 200)
    })
  })
}
