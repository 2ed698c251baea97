import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'
import type { SessionInspector } from '#kit/testing/session_inspector'
import { Visitor } from '#kit/testing/visitor'
import type { Send } from '#kit/testing/sign_in'

const MINUTE = 60_000

/**
 * Where a race runs: the instance the revoking request goes to, the one
 * the rotating token's requests go to (the same server for one instance),
 * and the store's sessions.
 */
export type RaceGround = { revokingOn: Send; rotatingOn: Send; sessions: SessionInspector }

/**
 * How many requests rotate the token during the race.
 */
const ROTATIONS = 3

const asApi = { headers: { accept: 'application/json' } }

/**
 * A browser of the demo user, signed in on that server.
 */
async function signedIn(send: Send) {
  const browser = new Visitor(send)
  await browser.signIn('demo@example.com', DEMO_PASSWORD)
  return browser
}

/**
 * Sends the rotating token's requests at the same time as `revoke`, then
 * counts the survivors: the requests of that browser (with the token it
 * holds now, and with the one it held before) that still answer 200.
 */
async function raceAndCount(browser: Visitor, revoke: () => Promise<Response>) {
  const before = browser.cookieHeader
  await Promise.all([
    revoke(),
    ...Array.from({ length: ROTATIONS }, () => browser.fetch('/api/me', asApi)),
  ])
  const now = await browser.fetch('/api/me', asApi)
  const old = await new Visitor(browser.send).fetch('/api/me', {
    headers: { accept: 'application/json', cookie: before },
  })
  return [now, old].filter((response) => response.status === 200).length
}

/**
 * "Sign out everywhere" by the owner while another session of the user
 * rotates its token. Returns the survivors.
 */
export async function signOutEverywhereDuringRotation(ground: RaceGround) {
  const owner = await signedIn(ground.revokingOn)
  const other = await signedIn(ground.rotatingOn)
  const { token } = await owner.form('/sessions')
  await ground.sessions.makeDue(16 * MINUTE)

  return raceAndCount(other, () => owner.post('/logout/all', { _csrf: token }))
}

/**
 * The owner revokes another session of theirs from the session list while
 * that session rotates its token. Returns the survivors.
 */
export async function revokeDeviceDuringRotation(ground: RaceGround) {
  const other = await signedIn(ground.rotatingOn)
  const owner = await signedIn(ground.revokingOn)
  const { html, token } = await owner.form('/sessions')
  const [revoke] = [...html.matchAll(/action="(\/sessions\/[^"]+\/revoke)"/g)].map((m) => m[1])
  await ground.sessions.makeDue(16 * MINUTE)

  return raceAndCount(other, () => owner.post(revoke, { _csrf: token }))
}

/**
 * A copied token replayed after its grace window (theft: the family is
 * revoked) while the owner's browser rotates the current token. Returns
 * the survivors.
 */
export async function theftDuringRotation(ground: RaceGround) {
  const owner = await signedIn(ground.rotatingOn)
  const copied = owner.cookieHeader
  await ground.sessions.makeDue(16 * MINUTE)
  await owner.fetch('/api/me', asApi)
  await ground.sessions.travel(31_000)
  await ground.sessions.makeDue(16 * MINUTE)

  return raceAndCount(owner, () =>
    new Visitor(ground.revokingOn).fetch('/api/me', {
      headers: { accept: 'application/json', cookie: copied },
    })
  )
}
