import { test } from '@japa/runner'
import {
  Cluster,
  needsServices,
  TrickledRequest,
  firstErrorOf,
  getJson,
  sessionCookieOf,
  signIn,
  type AppProcess,
} from '#kit/testing'

const GRACE_MS = 1000
const MINUTE = 60_000

/**
 * The session cookie ("name=value") among Set-Cookie values.
 */
function cookieOf(setCookies: string[]) {
  return setCookies.find((value) => value.startsWith('__Host-session='))?.split(';')[0]
}

/**
 * A slow upload that spans rotations made on the other instance, and an
 * expiry that races a rotation, on two instances whose grace window is
 * 1 s. Run with sessions in Redis and in the PostgreSQL table.
 */
for (const driver of ['redis', 'database'] as const) {
  test.group(
    `Multi-node | a slow body and an expiry racing a rotation, sessions in ${driver === 'redis' ? 'Redis' : 'PostgreSQL'}`,
    (group) => {
      needsServices(group)
      const cluster = new Cluster(driver, { SESSION_ROTATION_GRACE: `${GRACE_MS / 1000}s` })
      group.setup(async () => {
        await cluster.start()
      })
      group.teardown(() => cluster.stop())
      group.each.setup(() => cluster.sessions?.clear())

      /**
       * Rotates the session of the cookie on `server` and returns the new
       * cookie.
       */
      async function rotate(server: AppProcess, cookie: string) {
        await cluster.sessions.makeDue(16 * MINUTE)
        const response = await getJson(server, '/api/me', cookie)
        const rotated = sessionCookieOf(response)
        if (response.status !== 200 || !rotated || rotated === cookie) {
          throw new Error(`The session did not rotate: ${response.status}`)
        }
        return rotated
      }

      test('an upload on B rotated {$self} time(s) on A while its body arrives is no theft')
        .with([1, 2])
        .run(async ({ assert }, rotations) => {
          const { cookie: first } = await signIn(cluster.a, 'demo@example.com')
          const csrf = await getJson(cluster.b, '/__test__/session/csrf-token-in-json', first)
          const { csrfToken } = (await csrf.json()) as { csrfToken: string }
          const logged = [cluster.a.output.length, cluster.b.output.length]
          const upload = new TrickledRequest(`${cluster.b.url}/__test__/session/upload`, {
            headers: {
              'accept': 'application/json',
              'content-type': 'application/x-www-form-urlencoded',
              'x-csrf-token': csrfToken,
              'cookie': first,
            },
            body: `note=${'x'.repeat(200)}`,
          })
          await upload.trickle(300)

          let current = first
          for (let index = 0; index < rotations; index++) {
            current = await rotate(cluster.a, current)
          }
          await upload.trickle(GRACE_MS + 500)
          const response = await upload.finish()

          assert.equal(response.status, 200, response.body)
          assert.equal(cookieOf(response.setCookies), current)
          const after = await getJson(cluster.a, '/__test__/session/last-upload', current)
          assert.equal(after.status, 200)
          const { lastUpload } = (await after.json()) as { lastUpload: number }
          assert.isAbove(lastUpload, 0)
          assert.notInclude(cluster.a.output.slice(logged[0]), 'session.theft_detected')
          assert.notInclude(cluster.b.output.slice(logged[1]), 'session.theft_detected')
        })
        .timeout(60_000)

      test('the previous token on B, within the grace window, of a family past its absolute lifetime is expired, not theft', async ({
        assert,
      }) => {
        const { cookie: first } = await signIn(cluster.a, 'demo@example.com')
        const second = await rotate(cluster.a, first)
        await cluster.sessions.ageFamilies(7 * 24 * 60 * MINUTE)
        const logged = cluster.b.output.length

        const late = await getJson(cluster.b, '/api/me', first)

        assert.equal(late.status, 401)
        assert.deepInclude(await firstErrorOf(late), { code: 'E_UNAUTHORIZED', reason: 'expired' })
        const current = await getJson(cluster.a, '/api/me', second)
        assert.equal(current.status, 401)
        const error = await firstErrorOf(current)
        assert.notEqual(error.code, 'E_TOKEN_THEFT_DETECTED')
        assert.notInclude(cluster.b.output.slice(logged), 'session.theft_detected')
      })
    }
  )
}
