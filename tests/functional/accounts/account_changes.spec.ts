import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import type { FakeMailer } from '@adonisjs/mail'
import { Visitor } from '#kit/testing'
import { totpCode } from '#kit/mfa'
import User from '#models/user'
import RecoveryCode from '#models/recovery_code'
import { createUser, MFA_PASSWORD, totpRowOf } from '#tests/helpers/mfa'
import { apiCsrfToken, userWithTotp } from '#tests/helpers/mfa_users'
import { pathOf, verificationLinksSentTo } from '#tests/helpers/account_forms'

const HTML = { accept: 'text/html' }
const JSON_ACCEPT = { accept: 'application/json' }
const NEW_PASSWORD = 'a brand new password'

/**
 * A browser signed in with the password as a new user (a recent proof).
 */
async function signedIn(user?: User) {
  user ??= await createUser('change')
  const visitor = new Visitor()
  await visitor.signIn(user.email, MFA_PASSWORD)
  return { user, visitor }
}

/**
 * The status of a GET by `visitor`.
 */
async function statusOf(visitor: Visitor, path: string, init: RequestInit) {
  const response = await visitor.fetch(path, init)
  return response.status
}

/**
 * Posts a form of the security page as a browser.
 */
async function postFromSecurityPage(
  visitor: Visitor,
  path: string,
  fields: Record<string, string>
) {
  const { token } = await visitor.form('/account/security')
  return visitor.post(path, { _csrf: token, ...fields })
}

/**
 * Posts JSON as an API client (with a fresh CSRF token).
 */
async function postJson(visitor: Visitor, path: string, body: Record<string, string>) {
  return visitor.fetch(path, {
    method: 'POST',
    headers: {
      ...JSON_ACCEPT,
      'content-type': 'application/json',
      'x-csrf-token': await apiCsrfToken(visitor),
    },
    body: JSON.stringify(body),
  })
}

test.group('Accounts | changing the password', () => {
  test('this session stays signed in, every other session of the user is signed out, the new password works', async ({
    assert,
  }) => {
    const { user, visitor } = await signedIn()
    const { visitor: other } = await signedIn(user)
    const { visitor: stranger } = await signedIn()

    const changed = await postFromSecurityPage(visitor, '/account/password', {
      password: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    })
    assert.equal(changed.status, 302)
    assert.equal(changed.headers.get('location'), '/account/security')
    const page = await visitor.fetch('/account/security', { headers: HTML })
    assert.equal(page.status, 200)
    assert.include(
      await page.text(),
      'Your password is changed. Every other session was signed out.'
    )

    const otherMe = await other.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(otherMe.status, 401, 'the other session is signed out')
    const strangerMe = await stranger.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(strangerMe.status, 200, "another user's session stays")

    const stored = await User.findOrFail(user.id)
    assert.isTrue(await hash.verify(stored.password, NEW_PASSWORD))
    const step = await postFromSecurityPage(visitor, '/account/security/recovery-codes', {})
    assert.equal(step.status, 302, 'the session keeps its recent proof')
    assert.equal(step.headers.get('location'), '/account/security')

    const again = new Visitor()
    await again.signIn(user.email, NEW_PASSWORD)
    assert.equal(await statusOf(again, '/api/me', { headers: JSON_ACCEPT }), 200)
  })

  test('a session with a second factor keeps it through the change', async ({ assert }) => {
    const { user, secret } = await userWithTotp()
    const { visitor } = await signedIn(user)
    const { token } = await visitor.form('/mfa/challenge')
    await visitor.post('/mfa/challenge', { _csrf: token, code: totpCode(secret, Date.now()) })

    const changed = await postJson(visitor, '/account/password', {
      password: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    })
    assert.equal(changed.status, 204)
    const me = await visitor.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(me.status, 200, 'still signed in, with its second factor')
  })

  test('an invalid new password: browsers back to the security page with the error, API clients 422; nothing changes', async ({
    assert,
  }) => {
    const { user, visitor } = await signedIn()
    const { visitor: other } = await signedIn(user)
    const refused = await postFromSecurityPage(visitor, '/account/password', {
      password: 'short',
      password_confirmation: 'short',
    })
    assert.equal(refused.status, 302)
    assert.equal(refused.headers.get('location'), '/account/security')
    const page = await visitor.fetch('/account/security', { headers: HTML })
    assert.include(await page.text(), 'id="password-error"')

    const api = await postJson(visitor, '/account/password', {
      password: NEW_PASSWORD,
      password_confirmation: 'something else',
    })
    assert.equal(api.status, 422)

    const stored = await User.findOrFail(user.id)
    assert.isTrue(await hash.verify(stored.password, MFA_PASSWORD))
    assert.equal(await statusOf(other, '/api/me', { headers: JSON_ACCEPT }), 200)
  })
})

test.group('Accounts | changing the email address', (group) => {
  let mails: FakeMailer
  group.each.setup(() => {
    mails = mail.fake()
    return () => mail.restore()
  })

  test('the new address is unverified until its mailed link is followed; sign-ins use it', async ({
    assert,
  }) => {
    const { user, visitor } = await signedIn()
    const newEmail = `moved.${user.id}@example.com`
    assert.equal(await statusOf(visitor, '/billing', { headers: HTML }), 200)

    const changed = await postFromSecurityPage(visitor, '/account/email', {
      email: `  ${newEmail.toUpperCase()} `,
    })
    assert.equal(changed.status, 302)
    assert.equal(changed.headers.get('location'), '/verify-email')
    const inbox = await visitor.fetch('/verify-email', { headers: HTML })
    assert.include(await inbox.text(), `We sent a link to ${newEmail} to verify it.`)

    const stored = await User.findOrFail(user.id)
    assert.equal(stored.email, newEmail)
    assert.isNull(stored.emailVerifiedAt)
    const billing = await visitor.fetch('/billing', { headers: JSON_ACCEPT })
    assert.equal(billing.status, 403, 'the email-verified claim fails at once')

    const [link] = verificationLinksSentTo(mails, newEmail)
    assert.isString(link, 'a link was mailed to the new address')
    const followed = await visitor.fetch(pathOf(link), { headers: HTML })
    assert.equal(followed.status, 302)
    assert.equal(await statusOf(visitor, '/billing', { headers: HTML }), 200)

    const again = new Visitor()
    await again.signIn(newEmail, MFA_PASSWORD)
    assert.equal(await statusOf(again, '/api/me', { headers: JSON_ACCEPT }), 200)
  })

  test('an address in use is refused like at sign-up: the form again, or 422 for API clients', async ({
    assert,
  }) => {
    const { user, visitor } = await signedIn()
    const taken = await createUser('taken')
    const refused = await postFromSecurityPage(visitor, '/account/email', {
      email: taken.email.toUpperCase(),
    })
    assert.equal(refused.status, 302)
    assert.equal(refused.headers.get('location'), '/account/security')
    const page = await visitor.fetch('/account/security', { headers: HTML })
    assert.include(await page.text(), 'id="email-error"')

    const api = await postJson(visitor, '/account/email', { email: taken.email })
    assert.equal(api.status, 422)
    const body: any = await api.json()
    assert.equal(body.errors[0].field, 'email')

    const stored = await User.findOrFail(user.id)
    assert.equal(stored.email, user.email)
    assert.isNotNull(stored.emailVerifiedAt)
    assert.lengthOf(mails.mails.sent(), 0)
  })

  test('parallel changes of several users to one new address: one takes it, the others are told it is taken', async ({
    assert,
  }) => {
    const sessions = await Promise.all(Array.from({ length: 4 }, () => signedIn()))
    const target = `race.${sessions[0].user.id}@example.com`
    const prepared = await Promise.all(
      sessions.map(async ({ visitor }) => ({ visitor, csrf: await apiCsrfToken(visitor) }))
    )
    const responses = await Promise.all(
      prepared.map(({ visitor, csrf }) =>
        visitor.fetch('/account/email', {
          method: 'POST',
          headers: { ...JSON_ACCEPT, 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({ email: target }),
        })
      )
    )
    const statuses = responses.map((response) => response.status).sort()
    assert.deepEqual(statuses, [200, 422, 422, 422], `statuses: ${statuses}`)
    const owners = await User.query().where('email', target)
    assert.lengthOf(owners, 1)
  })
  test(
    '{format}: an address taken between the check and the save (the unique index) is answered as taken, not 500'
  )
    .with([
      { format: 'HTML', accept: 'text/html' },
      { format: 'JSON', accept: 'application/json' },
      { format: 'JSON:API', accept: 'application/vnd.api+json' },
      { format: 'problem+json', accept: 'application/problem+json' },
    ])
    .run(async ({ assert, cleanup }, { accept }) => {
      const { user, visitor } = await signedIn()
      const target = `late.${user.id}@example.com`
      /**
       * Another account takes the address once the form is validated,
       * just before this user's row is saved.
       */
      const takeFirst = async (saving: User) => {
        if (saving.id === user.id && saving.$dirty.email === target) {
          await db.table('users').insert({
            email: target,
            password: 'x',
            role: 'user',
            created_at: new Date(),
            updated_at: new Date(),
          })
        }
      }
      User.before('update', takeFirst)
      cleanup(() => {
        User.$hooks.remove('before:update', takeFirst)
      })

      const csrf = await apiCsrfToken(visitor)
      const response = await visitor.fetch('/account/email', {
        method: 'POST',
        headers: { 'accept': accept, 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ email: target }),
      })
      if (accept === 'text/html') {
        assert.equal(response.status, 302)
        assert.equal(response.headers.get('location'), '/account/security')
      } else {
        assert.equal(response.status, 422)
      }
      const stored = await User.findOrFail(user.id)
      assert.equal(stored.email, user.email)
      assert.lengthOf(mails.mails.sent(), 0)
    })
})

test.group('Accounts | turning the authenticator app off', () => {
  test('removes the factor and the recovery codes; the next sign-in asks for the password only', async ({
    assert,
  }) => {
    const { user, secret } = await userWithTotp({ codes: true })
    const { visitor } = await signedIn(user)
    const { token } = await visitor.form('/mfa/challenge')
    await visitor.post('/mfa/challenge', { _csrf: token, code: totpCode(secret, Date.now()) })

    const off = await postFromSecurityPage(visitor, '/account/security/totp/delete', {})
    assert.equal(off.status, 302)
    assert.equal(off.headers.get('location'), '/account/security')
    const page = await visitor.fetch('/account/security', { headers: HTML })
    const html = await page.text()
    assert.include(html, 'Your authenticator app is turned off, and your recovery codes removed.')
    assert.include(html, 'Set up an authenticator app')

    assert.isNull(await totpRowOf(user))
    assert.equal(await RecoveryCode.countFor(user), 0)
    const { visitor: next } = await signedIn(user)
    assert.equal(await statusOf(next, '/api/me', { headers: JSON_ACCEPT }), 200)
  })
})
