import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import {
  AppProcess,
  TrickledRequest,
  PRODUCTION_SESSION_COOKIE,
  getJson,
  signIn,
} from '#kit/testing'

const GRACE_MS = 1000
const MINUTE = 60_000

/**
 * Makes the current tokens due for rotation (as if 16 minutes of use had
 * passed), leaving every rotation time as it is.
 */
async function makeDue() {
  await db.rawQuery('UPDATE sessions SET created_at = created_at - ? WHERE successor_id IS NULL', [
    16 * MINUTE,
  ])
}

/**
 * A body of each type the body parser reads, with its headers.
 */
const BODIES = {
  'a form': {
    type: 'application/x-www-form-urlencoded',
    body: `note=${'x'.repeat(200)}`,
  },
  'JSON': {
    type: 'application/json',
    body: JSON.stringify({ note: 'x'.repeat(200) }),
  },
  'a multipart upload': {
    type: 'multipart/form-data; boundary=trickle',
    body: [
      '--trickle',
      'Content-Disposition: form-data; name="file"; filename="notes.txt"',
      'Content-Type: text/plain',
      '',
      'x'.repeat(200),
      '--trickle--',
      '',
    ].join('\r\n'),
  },
}

/**
 * A signed-in upload whose body arrives slowly, on a production server
 * whose grace window is 1 s: the body takes longer than that.
 */
test.group('Session | a slow request body', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start({ SESSION_ROTATION_GRACE: `${GRACE_MS / 1000}s` })
    return async () => {
      await server.stop()
    }
  })
  group.each.setup(async () => {
    await db.from('sessions').delete()
  })

  /**
   * The CSRF token of the session of the cookie.
   */
  async function csrfFor(cookie: string) {
    const response = await getJson(server, '/__test__/session/csrf-token-in-json', cookie)
    const { csrfToken } = (await response.json()) as { csrfToken: string }
    return csrfToken
  }

  /**
   * Starts the upload of `kind` with the session cookie (and the CSRF
   * token of its session, when known).
   */
  async function startUpload(cookie: string, kind: keyof typeof BODIES = 'a form', csrf?: string) {
    return new TrickledRequest(`${server.url}/__test__/session/upload`, {
      headers: {
        'accept': 'application/json',
        'content-type': BODIES[kind].type,
        'x-csrf-token': csrf ?? (await csrfFor(cookie)),
        cookie,
      },
      body: BODIES[kind].body,
    })
  }

  /**
   * Rotates the session of the cookie (another tab's request) and
   * returns the new cookie.
   */
  async function rotate(cookie: string) {
    await makeDue()
    const response = await getJson(server, '/api/me', cookie)
    const rotated = response.headers
      .getSetCookie()
      .find((value) => value.startsWith(`${PRODUCTION_SESSION_COOKIE}=`))
      ?.split(';')[0]
    if (response.status !== 200 || !rotated || rotated === cookie) {
      throw new Error(`The session did not rotate: ${response.status}`)
    }
    return rotated
  }

  /**
   * The session cookie of a trickled response.
   */
  function cookieOf(setCookies: string[]) {
    return setCookies
      .find((value) => value.startsWith(`${PRODUCTION_SESSION_COOKIE}=`))
      ?.split(';')[0]
  }

  test(
    '{$self} rotated by another request while its body arrives, for longer than the grace window, is no theft'
  )
    .with(Object.keys(BODIES) as (keyof typeof BODIES)[])
    .run(async ({ assert }, kind) => {
      const { cookie: first } = await signIn(server, 'demo@example.com')
      const logged = server.output.length
      const upload = await startUpload(first, kind)
      await upload.trickle(300)

      const second = await rotate(first)
      await upload.trickle(GRACE_MS + 500)
      const response = await upload.finish()

      assert.equal(response.status, 200, response.body)
      assert.equal(JSON.parse(response.body).email, 'demo@example.com')
      assert.equal(cookieOf(response.setCookies), second, 'the current token, never an older one')
      const after = await getJson(server, '/__test__/session/last-upload', second)
      assert.equal(after.status, 200)
      assert.isAbove(((await after.json()) as any).lastUpload, 0, 'the upload wrote its session')
      assert.notInclude(server.output.slice(logged), 'session.theft_detected')
    })
    .timeout(30_000)

  test('a form rotated {$self} times while its body arrives leads to the current token')
    .with([2, 3])
    .run(async ({ assert }, rotations) => {
      const { cookie: first } = await signIn(server, 'demo@example.com')
      const logged = server.output.length
      const upload = await startUpload(first)
      await upload.trickle(300)

      let current = first
      for (let index = 0; index < rotations; index++) {
        current = await rotate(current)
      }
      await upload.trickle(GRACE_MS + 500)
      const response = await upload.finish()

      assert.equal(response.status, 200, response.body)
      assert.equal(cookieOf(response.setCookies), current)
      const me = await getJson(server, '/api/me', current)
      assert.equal(me.status, 200)
      assert.notInclude(server.output.slice(logged), 'session.theft_detected')
    })
    .timeout(30_000)

  test('a request that arrived within the grace window of a rotation is no theft, however late its body ends', async ({
    assert,
  }) => {
    const { cookie: first } = await signIn(server, 'demo@example.com')
    const csrf = await csrfFor(first)
    const second = await rotate(first)

    const upload = await startUpload(first, 'a form', csrf)
    await upload.trickle(GRACE_MS + 500)
    const response = await upload.finish()

    assert.equal(response.status, 200, response.body)
    assert.equal(cookieOf(response.setCookies), second)
  }).timeout(30_000)

  test('a request that arrived after the grace window with the previous token is still theft', async ({
    assert,
  }) => {
    const { cookie: first } = await signIn(server, 'demo@example.com')
    const csrf = await csrfFor(first)
    await rotate(first)
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 200))

    const upload = await startUpload(first, 'a form', csrf)
    await upload.trickle(200)
    const response = await upload.finish()

    assert.equal(response.status, 401)
    assert.equal(JSON.parse(response.body).errors[0].code, 'E_TOKEN_THEFT_DETECTED')
  }).timeout(30_000)
})
