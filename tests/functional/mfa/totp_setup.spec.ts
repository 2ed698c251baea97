import { test } from '@japa/runner'
import encryption from '@adonisjs/core/services/encryption'
import { AppProcess, assertPagePolicy, freshIp, Visitor } from '#kit/testing'
import { totpCode, totpStep } from '#kit/mfa'
import TotpFactor from '#models/totp_factor'
import {
  createUser,
  enrolTotp,
  MFA_PASSWORD,
  secretOf,
  totpRowOf,
  wrongCode,
} from '#tests/helpers/mfa'

/**
 * A browser signed in as a new user.
 */
async function signedInVisitor(send?: Visitor['send']) {
  const user = await createUser()
  const visitor = new Visitor(send)
  await visitor.signIn(user.email, MFA_PASSWORD)
  return { user, visitor }
}

test.group('MFA | setting up an authenticator app', () => {
  test('the page shows the QR code as inline SVG and the secret in text, within the CSP', async ({
    assert,
  }) => {
    const { visitor } = await signedInVisitor()
    const page = await visitor.fetch('/account/security/totp', { headers: { accept: 'text/html' } })
    assert.equal(page.status, 200)
    const html = await page.text()
    assertPagePolicy(assert, Object.fromEntries(page.headers), html)
    assert.match(html, /<figure class="qr-code"><svg role="img" aria-label="[^"]+" xmlns=/)
    assert.match(secretOf(html), /^[A-Z2-7]{32}$/)

    const again = await visitor.form('/account/security/totp')
    assert.equal(secretOf(again.html), secretOf(html), 'a reload shows the same secret')
  })

  test('the secret is stored encrypted with the app encryption, not switched on before a code', async ({
    assert,
  }) => {
    const { user, visitor } = await signedInVisitor()
    const { html } = await visitor.form('/account/security/totp')
    const secret = secretOf(html)

    const row = await totpRowOf(user)
    assert.notInclude(row.secret, secret)
    assert.equal(encryption.decrypt(row.secret, 'totp_secret'), secret)
    assert.isNull(row.confirmed_at)
    assert.isNull(await TotpFactor.confirmedOf(user))
  })

  test('a wrong code leaves it off and says so; the right one switches it on', async ({
    assert,
  }) => {
    const { user, visitor } = await signedInVisitor()
    const { html, token } = await visitor.form('/account/security/totp')
    const secret = secretOf(html)

    const wrong = await visitor.post('/account/security/totp', {
      _csrf: token,
      code: wrongCode(secret),
    })
    assert.equal(wrong.status, 302)
    assert.equal(wrong.headers.get('location'), '/account/security/totp')
    const back = await visitor.form('/account/security/totp')
    assert.include(back.html, 'This code is not valid.')
    const pending = await totpRowOf(user)
    assert.isNull(pending.confirmed_at)

    const right = await visitor.post('/account/security/totp', {
      _csrf: back.token,
      code: totpCode(secret, Date.now()),
    })
    assert.equal(right.status, 200)
    const codesPage = await right.text()
    assert.include(codesPage, 'Your authenticator app is set up.')
    assert.lengthOf(codesPage.match(/<li><code>[a-z2-9]{5}-[a-z2-9]{5}<\/code><\/li>/g) ?? [], 10)

    const row = await totpRowOf(user)
    assert.isNotNull(row.confirmed_at)
    assert.closeTo(Number(row.last_used_step), totpStep(Date.now()), 1)

    const security = await visitor.fetch('/account/security', { headers: { accept: 'text/html' } })
    assert.include(await security.text(), 'Set up on')
  })

  test('API clients get E_INVALID_MFA_CODE (400) for a wrong code, then { totp, recoveryCodes }', async ({
    assert,
  }) => {
    const { visitor } = await signedInVisitor()
    const { html, token } = await visitor.form('/account/security/totp')
    const secret = secretOf(html)

    const wrong = await visitor.post(
      '/account/security/totp',
      { _csrf: token, code: wrongCode(secret) },
      { json: true }
    )
    assert.equal(wrong.status, 400)
    const body: any = await wrong.json()
    assert.equal(body.errors[0].code, 'E_INVALID_MFA_CODE')

    const right = await visitor.post(
      '/account/security/totp',
      { _csrf: token, code: totpCode(secret, Date.now()) },
      { json: true }
    )
    assert.equal(right.status, 200)
    const body2: any = await right.json()
    assert.isTrue(body2.totp)
    assert.lengthOf(body2.recoveryCodes, 10)
  })

  test('once on, the page sends the user to the security page; the secret is not shown again', async ({
    assert,
  }) => {
    const { visitor } = await signedInVisitor()
    const { secret } = await enrolTotp(visitor)
    const page = await visitor.fetch('/account/security/totp', { headers: { accept: 'text/html' } })
    assert.equal(page.status, 302)
    assert.equal(page.headers.get('location'), '/account/security')
    const security = await visitor.fetch('/account/security', { headers: { accept: 'text/html' } })
    assert.notInclude(await security.text(), secret.slice(0, 4))
  })

  test('signed out: the pages answer as every auth route (login for browsers)', async ({
    assert,
  }) => {
    const visitor = new Visitor()
    const page = await visitor.fetch('/account/security/totp', { headers: { accept: 'text/html' } })
    assert.equal(page.status, 303)
    assert.match(page.headers.get('location')!, /^\/login/)
  })
})

test.group('MFA | a code is accepted once (RFC 6238 section 5.2)', () => {
  test('a step is spent once; of parallel requests with one code, exactly one wins', async ({
    assert,
  }) => {
    const { visitor, user } = await signedInVisitor()
    await enrolTotp(visitor)
    const factor = (await TotpFactor.confirmedOf(user))!
    const next = factor.lastUsedStep! + 1

    const results = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const copy = (await TotpFactor.find(factor.id))!
        return copy.useStep(next)
      })
    )
    assert.deepEqual(results.filter(Boolean), [true])
    assert.isFalse(await factor.useStep(next), 'the same step again')
    assert.isFalse(await factor.useStep(next - 1), 'an earlier step')
    assert.isTrue(await factor.useStep(next + 1), 'the next step')
  })
})

/**
 * Small limits, so that a lock is reached in a few posts.
 */
const ACCOUNT_ATTEMPTS = 3

test.group('MFA | codes and the confirm page are throttled like the sign-in', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start({
      TRUST_PROXY: 'loopback',
      THROTTLE_ACCOUNT_ATTEMPTS: String(ACCOUNT_ATTEMPTS),
      THROTTLE_IP_ATTEMPTS: '50',
      THROTTLE_LOCKOUT: '3600s',
    })
  })
  group.teardown(async () => {
    await server?.stop()
  })

  /**
   * A browser on the spawned server from its own address.
   */
  const from = (ip: string): Visitor['send'] => {
    return (path, init = {}) => {
      const headers = new Headers(init.headers)
      headers.set('x-forwarded-for', ip)
      return server.fetch(path, { ...init, headers })
    }
  }

  test('past the limit for the account from one address, even the right code gets 429; another address still works', async ({
    assert,
  }) => {
    const user = await createUser()
    const visitor = new Visitor(from(freshIp()))
    await visitor.signIn(user.email, MFA_PASSWORD)
    const { html } = await visitor.form('/account/security/totp')
    const secret = secretOf(html)

    for (let attempt = 0; attempt < ACCOUNT_ATTEMPTS; attempt++) {
      const { token } = await visitor.form('/account/security/totp')
      const response = await visitor.post('/account/security/totp', {
        _csrf: token,
        code: wrongCode(secret),
      })
      assert.equal(response.status, 302, `attempt ${attempt + 1}`)
    }
    const { token } = await visitor.form('/account/security/totp')
    const locked = await visitor.post('/account/security/totp', {
      _csrf: token,
      code: totpCode(secret, Date.now()),
    })
    assert.equal(locked.status, 429)
    const row = await totpRowOf(user)
    assert.isNull(row.confirmed_at)
    assert.isTrue(
      server.logLines().some((line) => line.event === 'mfa_totp_setup.locked'),
      'the lockout is logged'
    )

    const elsewhere = new Visitor(from(freshIp()))
    await elsewhere.signIn(user.email, MFA_PASSWORD)
    const other = await elsewhere.form('/account/security/totp')
    const accepted = await elsewhere.post('/account/security/totp', {
      _csrf: other.token,
      code: totpCode(secret, Date.now()),
    })
    assert.equal(accepted.status, 200)
    assert.include(await accepted.text(), 'Your authenticator app is set up.')
  })

  test('the challenge: past the limit for the account from one address, even the right code gets 429', async ({
    assert,
  }) => {
    const user = await createUser()
    const owner = new Visitor(from(freshIp()))
    await owner.signIn(user.email, MFA_PASSWORD)
    const { secret } = await enrolTotp(owner)

    const visitor = new Visitor(from(freshIp()))
    await visitor.signIn(user.email, MFA_PASSWORD)
    for (let attempt = 0; attempt < ACCOUNT_ATTEMPTS; attempt++) {
      const { token } = await visitor.form('/mfa/challenge')
      const response = await visitor.post('/mfa/challenge', {
        _csrf: token,
        code: wrongCode(secret),
      })
      assert.equal(response.status, 302, `attempt ${attempt + 1}`)
    }
    const { token } = await visitor.form('/mfa/challenge')
    const locked = await visitor.post('/mfa/challenge', {
      _csrf: token,
      code: totpCode(secret, Date.now() + 30_000),
    })
    assert.equal(locked.status, 429)
    assert.isTrue(
      server.logLines().some((line) => line.event === 'mfa_challenge.locked'),
      'the lockout is logged'
    )
    const dashboard = await visitor.fetch('/dashboard', { headers: { accept: 'application/json' } })
    assert.equal(dashboard.status, 403, 'still without mfa')
  })
  test('the confirm page: past the limit for the account from one address, even the right password gets 429', async ({
    assert,
  }) => {
    const user = await createUser()
    const visitor = new Visitor(from(freshIp()))
    await visitor.signIn(user.email, MFA_PASSWORD)
    for (let attempt = 0; attempt < ACCOUNT_ATTEMPTS; attempt++) {
      const { token } = await visitor.form('/confirm')
      const response = await visitor.post('/confirm', { _csrf: token, password: 'wrong password' })
      assert.equal(response.status, 302, `attempt ${attempt + 1}`)
      assert.equal(response.headers.get('location'), '/confirm')
    }
    const { token } = await visitor.form('/confirm')
    const locked = await visitor.post('/confirm', { _csrf: token, password: MFA_PASSWORD })
    assert.equal(locked.status, 429)
    assert.isTrue(
      server.logLines().some((line) => line.event === 'confirm.locked'),
      'the lockout is logged'
    )

    const elsewhere = new Visitor(from(freshIp()))
    await elsewhere.signIn(user.email, MFA_PASSWORD)
    const other = await elsewhere.form('/confirm')
    const accepted = await elsewhere.post('/confirm', {
      _csrf: other.token,
      password: MFA_PASSWORD,
    })
    assert.equal(accepted.status, 302)
    assert.equal(accepted.headers.get('location'), '/account/security')
  })
})
