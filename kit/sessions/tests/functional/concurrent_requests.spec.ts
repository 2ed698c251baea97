import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'
import {
  SESSION_COOKIE,
  DatabaseSessionInspector,
  SlowRequests,
  revokeDeviceDuringRotation,
  signOutEverywhereDuringRotation,
  theftDuringRotation,
  Visitor,
  testServer,
} from '#kit/testing'

const MINUTE = 60_000

/**
 * Requests of one browser that overlap: a slow request (another tab, a
 * slow upload, a form whose mail takes seconds) runs while other requests
 * rotate the session token. The browser applies each response's cookies in
 * the order the responses arrive (`Visitor`). The contract: no response
 * sets a rotated token back in the cookie, no session write is lost, and
 * only a token really replayed after its grace window is theft.
 */
test.group('Session | overlapping requests of one browser', (group) => {
  const sessions = new DatabaseSessionInspector(db.connection(), 'sessions')
  const slow = new SlowRequests()
  group.each.setup(() => sessions.clear())

  /**
   * A browser signed in as the demo user.
   */
  async function signedIn() {
    const browser = new Visitor()
    await browser.signIn('demo@example.com', DEMO_PASSWORD)
    return browser
  }

  /**
   * The session cookies a response set.
   */
  function sessionCookiesOf(response: Response) {
    return response.headers.getSetCookie().filter((cookie) => cookie.startsWith(SESSION_COOKIE))
  }

  /**
   * What the browser's session holds now (this read takes its flash
   * messages).
   */
  async function snapshotOf(browser: Visitor) {
    const response = await browser.fetch('/__test__/session/snapshot', {
      headers: { accept: 'application/json' },
    })
    return { status: response.status, body: (await response.json()) as Record<string, any> }
  }

  for (const ending of ['within', 'after'] as const) {
    test(`a slow write while another tab rotates the token, ending ${ending} the grace window: the cookie keeps the new token, the write lands`, async ({
      assert,
    }) => {
      const browser = await signedIn()
      const slowWrite = slow.start(browser, '/__test__/session/slow-write?gate=tab-1&value=kept')
      await slow.waiting('tab-1')

      await sessions.travel(16 * MINUTE)
      const rotation = await browser.fetch('/api/me', { headers: { accept: 'application/json' } })
      assert.equal(rotation.status, 200)
      assert.lengthOf(sessionCookiesOf(rotation), 1, 'the other tab rotated the token')
      const rotated = browser.cookies.get(SESSION_COOKIE)
      if (ending === 'after') {
        await sessions.travel(31_000)
      }

      const response = await slow.finish('tab-1', slowWrite)

      assert.equal(response.status, 200)
      assert.equal(
        browser.cookies.get(SESSION_COOKIE),
        rotated,
        'the rotated token is not set again'
      )
      await sessions.travel(31_000)
      const after = await snapshotOf(browser)
      assert.equal(after.status, 200, 'not signed out as theft')
      assert.equal(after.body.values.slowWrite, 'kept')
      assert.deepEqual(after.body.flash, { notice: 'We sent a link' })
    })
  }

  test('a slow read after a long idle, while another tab rotates the token: the cookie keeps the new token', async ({
    assert,
  }) => {
    const browser = await signedIn()
    await sessions.travel(2 * MINUTE)
    const slowRead = slow.start(browser, '/__test__/session/slow-read?gate=tab-1')
    await slow.waiting('tab-1')

    await sessions.travel(14 * MINUTE)
    const rotation = await browser.fetch('/api/me', { headers: { accept: 'application/json' } })
    assert.lengthOf(sessionCookiesOf(rotation), 1)
    const rotated = browser.cookies.get(SESSION_COOKIE)
    const response = await slow.finish('tab-1', slowRead)

    assert.equal(response.status, 200)
    assert.equal(browser.cookies.get(SESSION_COOKIE), rotated)
    await sessions.travel(31_000)
    const after = await browser.fetch('/api/me', { headers: { accept: 'application/json' } })
    assert.equal(after.status, 200)
  })

  test('three tabs: two slow writes and a rotation; both writes land, nobody is signed out', async ({
    assert,
  }) => {
    const browser = await signedIn()
    const first = slow.start(
      browser,
      '/__test__/session/slow-write?gate=tab-1&key=first&value=1&flash=first&message=one'
    )
    const second = slow.start(
      browser,
      '/__test__/session/slow-write?gate=tab-2&key=second&value=2&flash=second&message=two'
    )
    await slow.waiting('tab-1')
    await slow.waiting('tab-2')

    await sessions.travel(16 * MINUTE)
    const rotation = await browser.fetch('/api/me', { headers: { accept: 'application/json' } })
    assert.lengthOf(sessionCookiesOf(rotation), 1)
    const rotated = browser.cookies.get(SESSION_COOKIE)
    await slow.finish('tab-2', second)
    await slow.finish('tab-1', first)

    assert.equal(browser.cookies.get(SESSION_COOKIE), rotated)
    await sessions.travel(31_000)
    const after = await snapshotOf(browser)
    assert.equal(after.status, 200)
    assert.include(after.body.values, { first: '1', second: '2' })
    assert.deepEqual(after.body.flash, { first: 'one', second: 'two' })
  })

  test('a slow request that came with a due token, rotated twice by another tab before it ends: the cookie keeps the newest', async ({
    assert,
  }) => {
    const browser = await signedIn()
    await sessions.travel(16 * MINUTE)
    const slowRead = slow.start(browser, '/__test__/session/slow-read?gate=tab-1')
    await slow.waiting('tab-1')

    for (const rotation of [1, 2]) {
      if (rotation === 2) {
        await sessions.travel(16 * MINUTE)
      }
      const rotated = await browser.fetch('/api/me', { headers: { accept: 'application/json' } })
      assert.lengthOf(sessionCookiesOf(rotated), 1)
    }
    const newest = browser.cookies.get(SESSION_COOKIE)
    await slow.finish('tab-1', slowRead)

    assert.equal(browser.cookies.get(SESSION_COOKIE), newest)
    await sessions.travel(31_000)
    const after = await browser.fetch('/api/me', { headers: { accept: 'application/json' } })
    assert.equal(after.status, 200)
  })

  test('a slow write while another tab signs out: nothing is written back, the new session stays', async ({
    assert,
  }) => {
    const browser = await signedIn()
    const slowWrite = slow.start(browser, '/__test__/session/slow-write?gate=tab-1')
    await slow.waiting('tab-1')
    const { token } = await browser.form('/sessions')
    const signOut = await browser.post('/logout', { _csrf: token })
    assert.equal(signOut.headers.get('location'), '/login')
    const afterSignOut = browser.cookies.get(SESSION_COOKIE)

    const response = await slow.finish('tab-1', slowWrite)

    assert.deepEqual(sessionCookiesOf(response), [])
    assert.equal(browser.cookies.get(SESSION_COOKIE), afterSignOut)
    const me = await browser.fetch('/api/me', { headers: { accept: 'application/json' } })
    assert.equal(me.status, 401)
    assert.lengthOf(await db.from('sessions').whereNotNull('user_id'), 0, 'nothing signed in')
    await browser.signIn('demo@example.com', DEMO_PASSWORD)
  })

  test('two slow writes of one token, no rotation: both land', async ({ assert }) => {
    const browser = await signedIn()
    const first = slow.start(browser, '/__test__/session/slow-write?gate=tab-1&key=first&value=1')
    const second = slow.start(browser, '/__test__/session/slow-write?gate=tab-2&key=second&value=2')
    await slow.waiting('tab-1')
    await slow.waiting('tab-2')

    await slow.finish('tab-1', first)
    await slow.finish('tab-2', second)

    const after = await snapshotOf(browser)
    assert.include(after.body.values, { first: '1', second: '2' })
  })

  test('the control: a token really replayed after its grace window is still theft', async ({
    assert,
  }) => {
    const browser = await signedIn()
    const copied = browser.cookies.get(SESSION_COOKIE)!
    await sessions.travel(16 * MINUTE)
    const rotation = await browser.fetch('/api/me', { headers: { accept: 'application/json' } })
    assert.lengthOf(sessionCookiesOf(rotation), 1)
    await sessions.travel(31_000)

    const replay = await new Visitor().fetch('/api/me', {
      headers: { accept: 'application/json', cookie: `${SESSION_COOKIE}=${copied}` },
    })

    assert.equal(replay.status, 401)
    assert.equal(((await replay.json()) as any).errors[0].code, 'E_TOKEN_THEFT_DETECTED')
    const owner = await browser.fetch('/api/me', { headers: { accept: 'application/json' } })
    assert.equal(owner.status, 401, 'the whole family is revoked')
  })
})

/**
 * A revocation racing a rotation of a token it must end: on SQLite one
 * transaction writes at a time, so these guard against a change that
 * would let a successor slip through (see the multinode suite for the
 * same races on PostgreSQL and Redis).
 */
test.group('Session | revocations racing a rotation', (group) => {
  const sessions = new DatabaseSessionInspector(db.connection(), 'sessions')
  const ground = { revokingOn: testServer, rotatingOn: testServer, sessions }
  group.each.setup(() => sessions.clear())

  const races = {
    'sign out everywhere while another session rotates its token': signOutEverywhereDuringRotation,
    'revoking a device while it rotates its token': revokeDeviceDuringRotation,
    'a theft revocation while the owner rotates the current token': theftDuringRotation,
  }
  for (const [title, race] of Object.entries(races)) {
    test(`${title}: 20 tries, no token survives`, async ({ assert }) => {
      let survivors = 0
      for (let attempt = 0; attempt < 20; attempt++) {
        survivors += await race(ground)
        await sessions.clear()
      }
      assert.equal(survivors, 0)
    }).timeout(60_000)
  }
})
