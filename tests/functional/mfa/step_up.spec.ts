import { test, timeTravel } from '@japa/runner'
import env from '#start/env'
import hash from '@adonisjs/core/services/hash'
import { assertPagePolicy, Visitor } from '#kit/testing'
import { totpCode } from '#kit/mfa'
import User from '#models/user'
import RecoveryCode from '#models/recovery_code'
import { createUser, MFA_PASSWORD, wrongCode } from '#tests/helpers/mfa'
import { apiCsrfToken, sessionTokenOfVisitor, userWithTotp } from '#tests/helpers/mfa_users'
import {
  API_FORMATS,
  claimFailuresOf,
  confirmAsBrowser,
  sessionDataOf,
} from '#tests/helpers/step_up'

const HTML = { accept: 'text/html' }
const NEW_PASSWORD = 'a new password for this test'

/**
 * A request of an API client.
 */
type ApiRoute = { method: string; path: string; body?: Record<string, string> }

/**
 * Every route that requires a recent proof, with a body that would
 * change something if it got through.
 */
const STEP_UP_ROUTES: ApiRoute[] = [
  {
    method: 'POST',
    path: '/account/password',
    body: { password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD },
  },
  { method: 'POST', path: '/account/email', body: { email: 'step.up.new@example.com' } },
  { method: 'GET', path: '/account/security/totp' },
  { method: 'POST', path: '/account/security/totp', body: { code: '123456' } },
  { method: 'POST', path: '/account/security/totp/delete', body: {} },
  { method: 'POST', path: '/account/security/recovery-codes', body: {} },
  { method: 'POST', path: '/logout/all', body: {} },
]

/**
 * Sends a request as an API client in the format of `accept` (with a
 * CSRF token for a POST).
 */
async function apiRequest(visitor: Visitor, accept: string, route: ApiRoute) {
  const headers: Record<string, string> = { accept }
  if (route.method === 'POST') {
    headers['content-type'] = 'application/json'
    headers['x-csrf-token'] = await apiCsrfToken(visitor)
  }
  return visitor.fetch(route.path, {
    method: route.method,
    headers,
    body: route.method === 'POST' ? JSON.stringify(route.body ?? {}) : undefined,
  })
}

/**
 * A browser signed in with the password (no second factor) as a new
 * user: its proof is the sign-in.
 */
async function signedIn() {
  const user = await createUser('step-up')
  const visitor = new Visitor()
  await visitor.signIn(user.email, MFA_PASSWORD)
  return { user, visitor }
}

/**
 * A browser of a user with an authenticator app and recovery codes,
 * signed in with the password and the app.
 */
async function signedInWithTotp() {
  const account = await userWithTotp({ codes: true })
  const visitor = new Visitor()
  await visitor.signIn(account.user.email, MFA_PASSWORD)
  const { token } = await visitor.form('/mfa/challenge')
  const passed = await visitor.post('/mfa/challenge', {
    _csrf: token,
    code: totpCode(account.secret, Date.now()),
  })
  if (passed.status !== 302) {
    throw new Error(`the challenge answered ${passed.status}`)
  }
  return { ...account, visitor }
}

test.group('Step-up | the recent-auth claim', () => {
  test(
    '{format}: every account change answers 403 recent-auth once the window is over, and changes nothing'
  )
    .with(API_FORMATS)
    .run(async ({ assert }, { accept }) => {
      const { user, visitor } = await signedIn()
      timeTravel('11 minutes')

      for (const route of STEP_UP_ROUTES) {
        const denied = await apiRequest(visitor, accept, route)
        assert.equal(denied.status, 403, `${route.method} ${route.path}`)
        const failures = claimFailuresOf(await denied.json())
        assert.lengthOf(failures, 1, route.path)
        assert.equal(failures[0].id, 'recent-auth')
        assert.equal(failures[0].reason.message, 'expired')
        assert.equal(failures[0].reason.maxAgeInSeconds, 600)
        assert.isAtLeast(failures[0].reason.ageInSeconds, 660)
      }

      const stored = await User.findOrFail(user.id)
      assert.equal(stored.email, user.email)
      assert.isTrue(await hash.verify(stored.password, MFA_PASSWORD))
      const me = await visitor.fetch('/api/me', { headers: { accept } })
      assert.equal(me.status, 200, 'the session is still signed in (no sign-out everywhere)')
    })

  test(
    '{format}: right after the sign-in the changes pass; after the window, /confirm lets them pass again'
  )
    .with(API_FORMATS)
    .run(async ({ assert }, { accept }) => {
      const { secret, visitor } = await signedInWithTotp()
      const codes = await apiRequest(visitor, accept, {
        method: 'POST',
        path: '/account/security/recovery-codes',
      })
      assert.equal(codes.status, 200)

      timeTravel('11 minutes')
      const denied = await apiRequest(visitor, accept, {
        method: 'POST',
        path: '/account/security/recovery-codes',
      })
      assert.equal(denied.status, 403)

      const confirmed = await apiRequest(visitor, accept, {
        method: 'POST',
        path: '/confirm',
        body: { code: totpCode(secret, Date.now()) },
      })
      assert.equal(confirmed.status, 200)
      assert.deepEqual(await confirmed.json(), { confirmed: 'totp' })

      const off = await apiRequest(visitor, accept, {
        method: 'POST',
        path: '/account/security/totp/delete',
      })
      assert.equal(off.status, 200)
      assert.deepEqual(await off.json(), { totp: false })
    })

  test('browsers go to the confirm page and back: the page asked for, or the page of the posted form', async ({
    assert,
  }) => {
    const { visitor } = await signedIn()
    timeTravel('11 minutes')

    const page = await visitor.fetch('/account/security/totp', { headers: HTML })
    assert.equal(page.status, 302)
    assert.equal(page.headers.get('location'), '/confirm?next=%2Faccount%2Fsecurity%2Ftotp')

    const { token } = await visitor.form('/account/security')
    const posted = await visitor.fetch('/account/password', {
      method: 'POST',
      headers: {
        'accept': 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        'referer': `http://${env.get('HOST')}:${env.get('PORT')}/account/security?tab=password`,
      },
      body: new URLSearchParams({
        _csrf: token,
        password: NEW_PASSWORD,
        password_confirmation: NEW_PASSWORD,
      }),
    })
    assert.equal(posted.status, 302)
    assert.equal(
      posted.headers.get('location'),
      '/confirm?next=%2Faccount%2Fsecurity%3Ftab%3Dpassword'
    )

    const form = await visitor.fetch('/confirm?next=%2Faccount%2Fsecurity%2Ftotp', {
      headers: HTML,
    })
    assert.equal(form.status, 200)
    const html = await form.text()
    assertPagePolicy(assert, Object.fromEntries(form.headers), html)
    assert.include(html, "Confirm it's you")
    assert.include(html, '<input type="hidden" name="next" value="/account/security/totp" />')
    assert.notInclude(html, 'name="code"', 'no code field without an authenticator app')

    const confirmed = await confirmAsBrowser(
      visitor,
      { password: MFA_PASSWORD },
      '/account/security/totp'
    )
    assert.equal(confirmed.status, 302)
    assert.equal(confirmed.headers.get('location'), '/account/security/totp')
    const after = await visitor.fetch('/account/security/totp', { headers: HTML })
    assert.equal(after.status, 200)
  })

  test('a form posted from another site comes back to the home page; the confirm page goes only to a same-site path', async ({
    assert,
  }) => {
    const { visitor } = await signedIn()
    timeTravel('11 minutes')
    const { token } = await visitor.form('/account/security')
    const posted = await visitor.fetch('/account/security/recovery-codes', {
      method: 'POST',
      headers: {
        'accept': 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        'referer': 'https://evil.example/account/security',
      },
      body: new URLSearchParams({ _csrf: token }),
    })
    assert.equal(posted.headers.get('location'), '/confirm')

    const confirmed = await confirmAsBrowser(
      visitor,
      { password: MFA_PASSWORD },
      '//evil.example/x'
    )
    assert.equal(confirmed.status, 302)
    assert.equal(confirmed.headers.get('location'), '/account/security')
  })
})

test.group('Step-up | the confirm page', () => {
  test('confirming rotates the session token, renews the CSRF secret and records the proof', async ({
    assert,
  }) => {
    const { visitor } = await signedIn()
    timeTravel('11 minutes')
    const tokenBefore = sessionTokenOfVisitor(visitor)
    const before = (await sessionDataOf(visitor))!

    const confirmed = await confirmAsBrowser(visitor, { password: MFA_PASSWORD })
    assert.equal(confirmed.status, 302)

    assert.notEqual(sessionTokenOfVisitor(visitor), tokenBefore, 'a new token')
    const after = (await sessionDataOf(visitor))!
    assert.isString(after['csrf-secret'])
    assert.notEqual(after['csrf-secret'], before['csrf-secret'], 'a new CSRF secret')
    assert.equal(after.authProof.method, 'password')
    assert.isAbove(after.authProof.at, before.authProof.at)
    assert.deepEqual(after.signInMethods, ['password'], 'how it signed in is unchanged')
  })

  test('a wrong password or code: browsers back to the form with a message, API clients 400 E_INVALID_CONFIRMATION', async ({
    assert,
  }) => {
    const { visitor, secret } = await signedInWithTotp()
    timeTravel('11 minutes')

    const wrong = await confirmAsBrowser(visitor, { password: 'not the password' }, '/sessions')
    assert.equal(wrong.status, 302)
    assert.equal(wrong.headers.get('location'), '/confirm?next=%2Fsessions')
    const { html } = await visitor.form('/confirm?next=%2Fsessions')
    assert.include(html, 'This password or code is not valid.')
    assert.include(html, 'name="code"', 'a code field for a user with an authenticator app')

    const bodies: Record<string, string>[] = [
      { password: 'not the password' },
      { code: wrongCode(secret) },
      {},
    ]
    for (const body of bodies) {
      const api = await apiRequest(visitor, 'application/json', {
        method: 'POST',
        path: '/confirm',
        body,
      })
      assert.equal(api.status, 400, JSON.stringify(body))
      const apiBody: any = await api.json()
      assert.equal(apiBody.errors[0].code, 'E_INVALID_CONFIRMATION')
    }

    const still = await apiRequest(visitor, 'application/json', {
      method: 'POST',
      path: '/account/security/recovery-codes',
    })
    assert.equal(still.status, 403, 'still without a recent proof')
  })

  test('a recovery code confirms too, and is spent', async ({ assert }) => {
    const { visitor, codes, user } = await signedInWithTotp()
    timeTravel('11 minutes')
    const confirmed = await apiRequest(visitor, 'application/json', {
      method: 'POST',
      path: '/confirm',
      body: { code: codes[2] },
    })
    assert.deepEqual(await confirmed.json(), { confirmed: 'recovery_code' })
    assert.equal(await RecoveryCode.countFor(user), 9)
  })

  test('a session without its second factor is sent to the challenge, not the confirm page', async ({
    assert,
  }) => {
    const { user } = await userWithTotp()
    const visitor = new Visitor()
    await visitor.signIn(user.email, MFA_PASSWORD)
    const page = await visitor.fetch('/confirm', { headers: HTML })
    assert.equal(page.status, 302)
    assert.equal(page.headers.get('location'), '/mfa/challenge?next=%2Fconfirm')
    const totp = await visitor.fetch('/account/security/totp', { headers: HTML })
    assert.match(totp.headers.get('location')!, /^\/mfa\/challenge/)
  })
})
