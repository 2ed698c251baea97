import { setTimeout as sleep } from 'node:timers/promises'
import { test } from '@japa/runner'
import {
  Cluster,
  needsServices,
  PRODUCTION_SESSION_COOKIE,
  SlowRequests,
  Visitor,
  revokeDeviceDuringRotation,
  signOutEverywhereDuringRotation,
  theftDuringRotation,
  type RaceGround,
} from '#kit/testing'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'

const MINUTE = 60_000

const asApi = { headers: { accept: 'application/json' } }

/**
 * Overlapping requests of one browser, spread over two instances sharing
 * Redis or PostgreSQL: a slow request on A while the browser's other
 * requests rotate its token on B; and revocations (sign out everywhere,
 * revoking a device, theft) racing a rotation.
 */
for (const driver of ['redis', 'database'] as const) {
  test.group(
    `Multi-node | overlapping requests, sessions in ${driver === 'redis' ? 'Redis' : 'PostgreSQL'}`,
    (group) => {
      needsServices(group)
      const cluster = new Cluster(driver)
      group.setup(async () => {
        await cluster.start()
      })
      group.teardown(() => cluster.stop())
      group.each.setup(() => cluster.sessions?.clear())

      /**
       * A browser behind a load balancer: each request goes to the
       * instance `on` names when it is sent.
       */
      function browser() {
        const balancer = { on: cluster.a }
        const visitor = new Visitor((path, init) => balancer.on.fetch(path, init))
        return { visitor, balancer }
      }

      function sessionCookiesOf(response: Response) {
        return response.headers
          .getSetCookie()
          .filter((cookie) => cookie.startsWith(`${PRODUCTION_SESSION_COOKIE}=`))
      }

      for (const ending of ['within', 'after'] as const) {
        test(`a slow write on A while B rotates the token, ending ${ending} the grace window: the cookie keeps the new token, the write lands`, async ({
          assert,
        }) => {
          const { visitor, balancer } = browser()
          await visitor.signIn('demo@example.com', DEMO_PASSWORD)
          const slow = new SlowRequests((path, init) => cluster.a.fetch(path, init))
          const slowWrite = slow.start(visitor, '/__test__/session/slow-write?gate=w&value=kept')
          await slow.waiting('w')

          await cluster.sessions.travel(16 * MINUTE)
          balancer.on = cluster.b
          const rotation = await visitor.fetch('/api/me', asApi)
          assert.lengthOf(sessionCookiesOf(rotation), 1)
          const rotated = visitor.cookieHeader
          if (ending === 'after') {
            await cluster.sessions.travel(31_000)
          }
          const response = await slow.finish('w', slowWrite)

          assert.equal(response.status, 200)
          assert.equal(visitor.cookieHeader, rotated, 'the rotated token is not set again')
          await cluster.sessions.travel(31_000)
          const after = await visitor.fetch('/__test__/session/snapshot', asApi)
          assert.equal(after.status, 200, 'not signed out as theft')
          const body: any = await after.json()
          assert.equal(body.values.slowWrite, 'kept')
          assert.deepEqual(body.flash, { notice: 'We sent a link' })
        })
      }

      test('a slow read on A after a long idle while B rotates the token: the cookie keeps the new token', async ({
        assert,
      }) => {
        const { visitor, balancer } = browser()
        await visitor.signIn('demo@example.com', DEMO_PASSWORD)
        await cluster.sessions.travel(2 * MINUTE)
        const slow = new SlowRequests((path, init) => cluster.a.fetch(path, init))
        const slowRead = slow.start(visitor, '/__test__/session/slow-read?gate=r')
        await slow.waiting('r')

        await cluster.sessions.travel(14 * MINUTE)
        balancer.on = cluster.b
        assert.lengthOf(sessionCookiesOf(await visitor.fetch('/api/me', asApi)), 1)
        const rotated = visitor.cookieHeader
        await slow.finish('r', slowRead)

        assert.equal(visitor.cookieHeader, rotated)
        await cluster.sessions.travel(31_000)
        const after = await visitor.fetch('/api/me', asApi)
        assert.equal(after.status, 200)
      })

      test('three tabs: two slow writes on A, a rotation on B; both writes land, nobody is signed out', async ({
        assert,
      }) => {
        const { visitor, balancer } = browser()
        await visitor.signIn('demo@example.com', DEMO_PASSWORD)
        const slow = new SlowRequests((path, init) => cluster.a.fetch(path, init))
        const first = slow.start(
          visitor,
          '/__test__/session/slow-write?gate=t1&key=first&value=1&flash=first&message=one'
        )
        const second = slow.start(
          visitor,
          '/__test__/session/slow-write?gate=t2&key=second&value=2&flash=second&message=two'
        )
        await slow.waiting('t1')
        await slow.waiting('t2')

        await cluster.sessions.travel(16 * MINUTE)
        balancer.on = cluster.b
        assert.lengthOf(sessionCookiesOf(await visitor.fetch('/api/me', asApi)), 1)
        const rotated = visitor.cookieHeader
        await slow.finish('t2', second)
        await slow.finish('t1', first)

        assert.equal(visitor.cookieHeader, rotated)
        await cluster.sessions.travel(31_000)
        const after = await visitor.fetch('/__test__/session/snapshot', asApi)
        assert.equal(after.status, 200)
        const body: any = await after.json()
        assert.include(body.values, { first: '1', second: '2' })
        assert.deepEqual(body.flash, { first: 'one', second: 'two' })
      })

      test('the control: a token replayed on B after its grace window is still theft', async ({
        assert,
      }) => {
        const { visitor } = browser()
        await visitor.signIn('demo@example.com', DEMO_PASSWORD)
        const copied = visitor.cookieHeader
        await cluster.sessions.travel(16 * MINUTE)
        assert.lengthOf(sessionCookiesOf(await visitor.fetch('/api/me', asApi)), 1)
        await cluster.sessions.travel(31_000)

        const replay = await cluster.b.fetch('/api/me', {
          headers: { accept: 'application/json', cookie: copied },
        })

        assert.equal(replay.status, 401)
        const body: any = await replay.json()
        assert.equal(body.errors[0].code, 'E_TOKEN_THEFT_DETECTED')
        const owner = await visitor.fetch('/api/me', asApi)
        assert.equal(owner.status, 401)
      })

      /**
       * The revoking request on A, the rotating token's requests on B.
       */
      function ground(): RaceGround {
        return {
          revokingOn: (path, init) => cluster.a.fetch(path, init),
          rotatingOn: (path, init) => cluster.b.fetch(path, init),
          sessions: cluster.sessions,
        }
      }

      const races = {
        'sign out everywhere on A while B rotates a token': signOutEverywhereDuringRotation,
        'revoking a device on A while B rotates its token': revokeDeviceDuringRotation,
        'a theft revocation on A while B rotates the current token': theftDuringRotation,
      }
      for (const [title, race] of Object.entries(races)) {
        test(`${title}: 50 tries, no token survives, no request fails`, async ({ assert }) => {
          const logged = [cluster.a.output.length, cluster.b.output.length]
          let survivors = 0
          for (let attempt = 0; attempt < 50; attempt++) {
            survivors += await race(ground())
            await cluster.sessions.clear()
          }
          assert.equal(survivors, 0)
          const errors = [cluster.a, cluster.b].flatMap((server, index) =>
            server.output
              .slice(logged[index])
              .split('\n')
              .filter((line) => /"level":(50|60)/.test(line))
          )
          assert.deepEqual(errors, [], 'no deadlock, no 500')
        }).timeout(120_000)
      }
    }
  )
}

/**
 * Ten ordinary browsers at a 2 s rotation and a 1 s grace window, in real
 * time: each has two tabs sharing its cookies, clicks on while a slow
 * request (up to 2.5 s, writing the session or not) runs in the other
 * tab, and pauses now and then, long enough for its token to fall due and
 * a rotated one's grace window to pass. A load balancer spreads the
 * requests over A and B. Nobody may be signed out: no 401, no theft.
 */
for (const driver of ['redis', 'database'] as const) {
  test.group(
    `Multi-node | ten browsers at a 2 s rotation, sessions in ${driver === 'redis' ? 'Redis' : 'PostgreSQL'}`,
    (group) => {
      needsServices(group)
      const cluster = new Cluster(driver, {
        SESSION_ROTATION_INTERVAL: '2s',
        SESSION_ROTATION_GRACE: '1s',
      })
      group.setup(async () => {
        await cluster.start()
      })
      group.teardown(() => cluster.stop())

      test('20 s of clicking, slow requests and pauses: nobody is signed out', async ({
        assert,
      }) => {
        const deadline = Date.now() + 20_000
        const refusals: string[] = []
        let requests = 0

        const browse = async (id: number) => {
          let turn = id
          const visitor = new Visitor((path, init) =>
            (turn++ % 2 ? cluster.a : cluster.b).fetch(path, init)
          )
          await visitor.signIn('demo@example.com', DEMO_PASSWORD)

          const tab = async (seed: number) => {
            let step = seed
            while (Date.now() < deadline) {
              step = (step * 7919 + 104_729) % 1000
              const path =
                step < 550
                  ? '/api/me'
                  : step < 700
                    ? `/__test__/session/slow-write?ms=${500 + (step % 20) * 100}&value=${step}`
                    : step < 850
                      ? `/__test__/session/slow-read?ms=${500 + (step % 20) * 100}`
                      : null
              if (path === null) {
                await sleep(1000 + (step % 30) * 100)
                continue
              }
              const response = await visitor.fetch(path, asApi)
              requests++
              if (response.status !== 200) {
                refusals.push(`browser ${id}: ${response.status} ${await response.text()}`)
              } else {
                await response.body?.cancel()
              }
            }
          }
          await Promise.all([tab(id * 31 + 1), tab(id * 31 + 17)])
        }

        await Promise.all(Array.from({ length: 10 }, (_, id) => browse(id)))

        assert.deepEqual(refusals, [])
        assert.isAbove(requests, 200)
        for (const server of [cluster.a, cluster.b]) {
          assert.notInclude(server.output, 'session.theft_detected')
        }
      }).timeout(60_000)
    }
  )
}
