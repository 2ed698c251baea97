import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { SessionFamilies } from '#kit/sessions/src/session_families'
import { assertPagePolicy, Visitor } from '#kit/testing'
import { totpCode } from '#kit/mfa'
import RecoveryCode from '#models/recovery_code'
import { MFA_PASSWORD, wrongCode } from '#tests/helpers/mfa'
import { apiCsrfToken, sessionTokenOfVisitor, userWithTotp } from '#tests/helpers/mfa_users'

const HTML = { accept: 'text/html' }
const JSON_ACCEPT = { accept: 'application/json' }

/**
 * The accept header of each API error format.
 */
const API_FORMATS = [
  { format: 'JSON', accept: 'application/json' },
  { format: 'JSON:API', accept: 'application/vnd.api+json' },
  { format: 'problem+json', accept: 'application/problem+json' },
]

/**
 * The claim failures of a 403 body, wherever its format keeps them.
 */
function claimFailuresOf(body: any): { id: string; reason: Record<string, unknown> }[] {
  return body.claimValidationErrors ?? body.errors?.[0]?.meta?.claimValidationErrors
}

/**
 * Moves every session of the database back in time, as if `ms` had
 * passed (rotation intervals and grace windows fall due).
 */
async function travel(ms: number) {
  await db.rawQuery(
    `UPDATE sessions SET created_at = created_at - ?, family_created_at = family_created_at - ?,
      rotated_at = rotated_at - ?, last_used_at = last_used_at - ?, expires_at = expires_at - ?`,
    [ms, ms, ms, ms, ms]
  )
}

/**
 * The session data behind a visitor's token.
 */
async function sessionDataOf(visitor: Visitor) {
  const families = await app.container.make(SessionFamilies)
  return families.store!.peek(sessionTokenOfVisitor(visitor)!)
}

/**
 * A browser that signed in with the password of a user with an
 * authenticator app: a session without `mfa`.
 */
async function partialSession(options: { codes?: boolean } = {}) {
  const account = await userWithTotp(options)
  const visitor = new Visitor()
  await visitor.signIn(account.user.email, MFA_PASSWORD)
  return { ...account, visitor }
}

/**
 * Posts the challenge form as a browser (its CSRF token from the page).
 */
async function passChallenge(visitor: Visitor, code: string, next?: string) {
  const { token } = await visitor.form(
    `/mfa/challenge${next ? `?next=${encodeURIComponent(next)}` : ''}`
  )
  return visitor.post('/mfa/challenge', { _csrf: token, code, ...(next ? { next } : {}) })
}

test.group('MFA | the mfa claim', () => {
  test('a user with a factor signs in with the password into a session that lacks it: browsers go to the challenge and back', async ({
    assert,
  }) => {
    const { visitor, secret } = await partialSession()

    const dashboard = await visitor.fetch('/dashboard?tab=1', { headers: HTML })
    assert.equal(dashboard.status, 302)
    assert.equal(dashboard.headers.get('location'), '/mfa/challenge?next=%2Fdashboard%3Ftab%3D1')

    const page = await visitor.fetch('/mfa/challenge?next=%2Fdashboard%3Ftab%3D1', {
      headers: HTML,
    })
    assert.equal(page.status, 200)
    const html = await page.text()
    assertPagePolicy(assert, Object.fromEntries(page.headers), html)
    assert.include(html, '<input type="hidden" name="next" value="/dashboard?tab=1" />')

    const passed = await passChallenge(visitor, totpCode(secret, Date.now()), '/dashboard?tab=1')
    assert.equal(passed.status, 302)
    assert.equal(passed.headers.get('location'), '/dashboard?tab=1')

    const after = await visitor.fetch('/dashboard', { headers: HTML })
    assert.equal(after.status, 200)
  })

  test('the challenge goes back only to a same-site path', async ({ assert }) => {
    const { visitor, secret } = await partialSession()
    const passed = await passChallenge(visitor, totpCode(secret, Date.now()), '//evil.example/x')
    assert.equal(passed.status, 302)
    assert.equal(passed.headers.get('location'), '/')
  })

  test('{format}: 403 E_INVALID_CLAIM, claimValidationErrors naming mfa, until the challenge')
    .with(API_FORMATS)
    .run(async ({ assert }, { accept }) => {
      const { visitor, secret } = await partialSession()

      for (const path of ['/api/me', '/dashboard', '/sessions']) {
        const denied = await visitor.fetch(path, { headers: { accept } })
        assert.equal(denied.status, 403, path)
        const body = await denied.json()
        assert.deepEqual(claimFailuresOf(body), [
          {
            id: 'mfa',
            reason: {
              message: 'MFA requirement for auth is not satisfied',
              factors: ['totp', 'recovery_code'],
            },
          },
        ])
      }

      const csrf = await apiCsrfToken(visitor)
      const passed = await visitor.fetch('/mfa/challenge', {
        method: 'POST',
        headers: { 'accept': accept, 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ code: totpCode(secret, Date.now()) }),
      })
      assert.equal(passed.status, 200)
      assert.deepEqual(await passed.json(), { mfa: 'totp' })

      const me = await visitor.fetch('/api/me', { headers: { accept } })
      assert.equal(me.status, 200)
    })

  test('users without a factor are not asked (the claim passes)', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.signIn('demo@example.com', 'password')
    const me = await visitor.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(me.status, 200)
    const challenge = await visitor.fetch('/mfa/challenge', { headers: HTML })
    assert.equal(challenge.status, 302)
    assert.equal(challenge.headers.get('location'), '/')
  })

  test('passing the challenge rotates the session token and renews the CSRF secret', async ({
    assert,
  }) => {
    const { visitor, secret } = await partialSession()
    const tokenBefore = sessionTokenOfVisitor(visitor)
    const secretBefore = (await sessionDataOf(visitor))!['csrf-secret']
    assert.isString(secretBefore)

    const passed = await passChallenge(visitor, totpCode(secret, Date.now()))
    assert.equal(passed.status, 302)

    const tokenAfter = sessionTokenOfVisitor(visitor)
    assert.notEqual(tokenAfter, tokenBefore, 'a new token')
    const data = (await sessionDataOf(visitor))!
    assert.isString(data['csrf-secret'])
    assert.notEqual(data['csrf-secret'], secretBefore, 'a new CSRF secret')
    assert.equal(data.mfa.method, 'totp')
    assert.deepEqual(data.claims.mfa.value, {
      required: true,
      verified: true,
      factors: ['totp', 'recovery_code'],
    })
  })

  test('signing out and in again asks for the second factor again', async ({ assert }) => {
    const { visitor, secret, user } = await partialSession()
    await passChallenge(visitor, totpCode(secret, Date.now()))
    const { token } = await visitor.form('/dashboard')
    await visitor.post('/logout', { _csrf: token })

    await visitor.signIn(user.email, MFA_PASSWORD)
    const me = await visitor.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(me.status, 403)
  })
})

test.group('MFA | the challenge', () => {
  test('a wrong code: browsers back to the form with a message, API clients 400 E_INVALID_MFA_CODE', async ({
    assert,
  }) => {
    const { visitor, secret } = await partialSession()
    const wrong = await passChallenge(visitor, wrongCode(secret), '/billing')
    assert.equal(wrong.status, 302)
    assert.equal(wrong.headers.get('location'), '/mfa/challenge?next=%2Fbilling')
    const { html } = await visitor.form('/mfa/challenge?next=%2Fbilling')
    assert.include(html, 'This code is not valid.')

    const csrf = await apiCsrfToken(visitor)
    const api = await visitor.fetch('/mfa/challenge', {
      method: 'POST',
      headers: { ...JSON_ACCEPT, 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ code: wrongCode(secret) }),
    })
    assert.equal(api.status, 400)
    const apiBody: any = await api.json()
    assert.equal(apiBody.errors[0].code, 'E_INVALID_MFA_CODE')

    const me = await visitor.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(me.status, 403, 'still without mfa')
  })

  test('a code is accepted once: the same code in another session is refused', async ({
    assert,
  }) => {
    const { visitor, secret, user } = await partialSession()
    const code = totpCode(secret, Date.now())
    const response1 = await passChallenge(visitor, code)
    assert.equal(response1.status, 302)

    const other = new Visitor()
    await other.signIn(user.email, MFA_PASSWORD)
    const replayed = await passChallenge(other, code)
    assert.equal(replayed.status, 302)
    assert.match(replayed.headers.get('location')!, /^\/mfa\/challenge/)
    const me = await other.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(me.status, 403)
  })

  test('a recovery code works once, in any case and without its dash; the count left goes down', async ({
    assert,
  }) => {
    const { visitor, codes, user } = await partialSession({ codes: true })
    const passed = await passChallenge(visitor, codes[0].toUpperCase().replace('-', ' '))
    assert.equal(passed.status, 302)
    assert.equal(passed.headers.get('location'), '/')
    assert.equal(await RecoveryCode.countFor(user), 9)
    const home = await visitor.fetch('/', { headers: HTML })
    assert.include(await home.text(), 'A recovery code was used: 9 left.')

    const other = new Visitor()
    await other.signIn(user.email, MFA_PASSWORD)
    const again = await passChallenge(other, codes[0])
    assert.match(again.headers.get('location')!, /^\/mfa\/challenge/)
    const response2 = await other.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(response2.status, 403)
  })

  test('one recovery code posted by parallel sessions at once: exactly one passes', async ({
    assert,
  }) => {
    const { codes, user } = await partialSession({ codes: true })
    const visitors = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const visitor = new Visitor()
        await visitor.signIn(user.email, MFA_PASSWORD)
        return { visitor, csrf: await apiCsrfToken(visitor) }
      })
    )
    const statuses = await Promise.all(
      visitors.map(({ visitor, csrf }) =>
        visitor
          .fetch('/mfa/challenge', {
            method: 'POST',
            headers: { ...JSON_ACCEPT, 'content-type': 'application/json', 'x-csrf-token': csrf },
            body: JSON.stringify({ code: codes[1] }),
          })
          .then((response) => response.status)
      )
    )
    assert.deepEqual(
      statuses.sort(),
      [200, 400, 400, 400],
      `one passes, the others are refused: ${statuses}`
    )
    assert.equal(await RecoveryCode.countFor(user), 9)
  })
})

test.group('MFA | partially signed-in sessions', () => {
  test('theft detection: a rotated token of a session without mfa, used after the grace window, revokes the family', async ({
    assert,
  }) => {
    const { visitor } = await partialSession()
    const first = new Visitor()
    first.cookies = new Map(visitor.cookies)

    await travel(16 * 60_000)
    const rotated = await visitor.fetch('/mfa/challenge', { headers: HTML })
    assert.equal(rotated.status, 200)
    assert.notEqual(sessionTokenOfVisitor(visitor), sessionTokenOfVisitor(first), 'rotated')
    await travel(31_000)

    const theft = await first.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(theft.status, 401)
    const theftBody: any = await theft.json()
    assert.equal(theftBody.errors[0].code, 'E_TOKEN_THEFT_DETECTED')

    const holder = await visitor.fetch('/mfa/challenge', { headers: JSON_ACCEPT })
    assert.equal(holder.status, 401, 'the current token of the family is revoked too')
  })

  test('sign-out everywhere from a full session ends the sessions without mfa too', async ({
    assert,
  }) => {
    const { visitor: partial, user, secret } = await partialSession()
    const full = new Visitor()
    await full.signIn(user.email, MFA_PASSWORD)
    const response3 = await passChallenge(full, totpCode(secret, Date.now()))
    assert.equal(response3.status, 302)

    const { token } = await full.form('/sessions')
    const out = await full.post('/logout/all', { _csrf: token })
    assert.equal(out.status, 302)
    assert.equal(out.headers.get('location'), '/login')

    const after = await partial.fetch('/mfa/challenge', { headers: JSON_ACCEPT })
    assert.equal(after.status, 401)
  })

  test('a session without mfa cannot sign out everywhere (403 mfa), and can sign itself out', async ({
    assert,
  }) => {
    const { visitor: partial, user, secret } = await partialSession()
    const full = new Visitor()
    await full.signIn(user.email, MFA_PASSWORD)
    const response4 = await passChallenge(full, totpCode(secret, Date.now()))
    assert.equal(response4.status, 302)

    const csrf = await apiCsrfToken(partial)
    const refused = await partial.fetch('/logout/all', {
      method: 'POST',
      headers: { ...JSON_ACCEPT, 'x-csrf-token': csrf },
    })
    assert.equal(refused.status, 403)
    assert.equal(claimFailuresOf(await refused.json())[0].id, 'mfa')
    const response5 = await full.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(response5.status, 200)

    const out = await partial.fetch('/logout', {
      method: 'POST',
      headers: { ...JSON_ACCEPT, 'x-csrf-token': csrf },
    })
    assert.equal(out.status, 204)
    const response6 = await full.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(response6.status, 200)
  })
})
