import { test, timeTravel } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import type { FakeMailer } from '@adonisjs/mail'
import type { ApiClient } from '@japa/api-client'
import { CLAIMS_SESSION_KEY } from '#kit/sessions/src/claims/check_claims'
import { SessionFamilies } from '#kit/sessions/src/session_families'
import app from '@adonisjs/core/services/app'
import {
  type CookieJar,
  pathOf,
  sessionTokenOf,
  submitForm,
  verificationLinksSentTo,
  visit,
} from '#tests/helpers/account_forms'

const EMAIL = 'new.verify@example.com'
const PASSWORD = 'correct horse battery'

/**
 * Signs a new user up through the form; returns the browser's cookies and
 * the link the sign-up mailed.
 */
async function signUp(client: ApiClient, mails: FakeMailer) {
  const { jar } = await submitForm(client, '/signup', '/signup', {
    email: EMAIL,
    password: PASSWORD,
    password_confirmation: PASSWORD,
  })
  const [link] = verificationLinksSentTo(mails, EMAIL)
  return { jar, link }
}

/**
 * The session data behind a jar's token.
 */
async function sessionData(jar: CookieJar) {
  const families = await app.container.make(SessionFamilies)
  return families.store!.peek(sessionTokenOf(jar)!)
}

test.group('Accounts | email verification', (group) => {
  let mails: FakeMailer
  group.each.setup(async () => {
    await db.from('users').where('email', EMAIL).delete()
    mails = mail.fake()
    return () => mail.restore()
  })

  test('following the link verifies the address, refreshes the claim and rotates the token', async ({
    client,
    assert,
  }) => {
    const { jar, link } = await signUp(client, mails)

    /**
     * The unverified user meets the claim first: its value (false) is now
     * cached in the session for 5 minutes.
     */
    const denied = await visit(client, '/billing', jar)
    denied.response.assertStatus(403)
    const before = await sessionData(denied.jar)
    assert.equal(before![CLAIMS_SESSION_KEY]['email-verified'].value, false)

    const followed = await visit(client, pathOf(link), denied.jar)
    followed.response.assertStatus(302)
    followed.response.assertHeader('location', '/dashboard')
    assert.notEqual(sessionTokenOf(followed.jar), sessionTokenOf(denied.jar), 'token rotated')

    const user = await db.from('users').where('email', EMAIL).firstOrFail()
    assert.isNotNull(user.email_verified_at)

    const after = await sessionData(followed.jar)
    assert.equal(after![CLAIMS_SESSION_KEY]['email-verified'].value, true)

    const billing = await visit(client, '/billing', followed.jar)
    billing.response.assertStatus(200)
  })

  test('a link opened signed out verifies the address and goes to the login page', async ({
    client,
    assert,
  }) => {
    const { link } = await signUp(client, mails)

    const followed = await visit(client, pathOf(link))
    followed.response.assertStatus(302)
    followed.response.assertHeader('location', '/login')
    const user = await db.from('users').where('email', EMAIL).firstOrFail()
    assert.isNotNull(user.email_verified_at)
  })

  test('a used link gets a clear page, not a second verification', async ({ client, assert }) => {
    const { link } = await signUp(client, mails)
    await visit(client, pathOf(link))

    const again = await visit(client, pathOf(link))
    again.response.assertStatus(400)
    assert.include(again.response.text(), 'This link was already used')
  })

  test('tampered links get the "does not work" page with a way to a new link', async ({
    client,
    assert,
  }) => {
    const { jar, link } = await signUp(client, mails)
    const url = new URL(link)
    const demo = await db.from('users').where('email', 'unverified@example.com').firstOrFail()

    const otherUser = new URL(link)
    otherUser.pathname = `/verify-email/${demo.id}`
    const badSignature = new URL(link)
    badSignature.searchParams.set('signature', url.searchParams.get('signature')!.slice(0, -2))
    const otherEmail = new URL(link)
    otherEmail.searchParams.set('email', 'AAAAAAAAAAAAAAAA')
    const noSignature = new URL(link)
    noSignature.searchParams.delete('signature')

    for (const tampered of [otherUser, badSignature, otherEmail, noSignature]) {
      const page = await visit(client, tampered.pathname + tampered.search, jar)
      page.response.assertStatus(400)
      assert.include(page.response.text(), 'This link does not work')
      assert.include(page.response.text(), 'Send a new link')
    }
    const signedOut = await visit(client, otherUser.pathname + otherUser.search)
    assert.include(signedOut.response.text(), 'Sign in to get a new link')

    const user = await db.from('users').where('email', EMAIL).firstOrFail()
    assert.isNull(user.email_verified_at)
    assert.isNull(demo.email_verified_at)
  })

  test('an expired link gets the "does not work" page', async ({ client, assert }) => {
    const { link } = await signUp(client, mails)
    timeTravel('25 hours')
    const page = await visit(client, pathOf(link))
    page.response.assertStatus(400)
    assert.include(page.response.text(), 'This link does not work')
    const user = await db.from('users').where('email', EMAIL).firstOrFail()
    assert.isNull(user.email_verified_at)
  })

  test('"send a new link" mails a new working link', async ({ client, assert }) => {
    const { jar, link } = await signUp(client, mails)

    const { response } = await submitForm(client, '/verify-email', '/verify-email/resend', {}, jar)
    response.assertStatus(302)
    response.assertHeader('location', '/verify-email')

    const links = verificationLinksSentTo(mails, EMAIL)
    assert.lengthOf(links, 2)
    assert.notEqual(links[1], link)
    const followed = await visit(client, pathOf(links[1]), jar)
    followed.response.assertHeader('location', '/dashboard')
  })

  test('the email-verified 403 page offers the resend, and it works', async ({
    client,
    assert,
  }) => {
    const { jar } = await signUp(client, mails)

    const { response } = await submitForm(client, '/billing', '/verify-email/resend', {}, jar)
    response.assertStatus(302)
    assert.lengthOf(verificationLinksSentTo(mails, EMAIL), 2)

    const page = await visit(client, '/billing', jar)
    page.response.assertStatus(403)
    assert.include(page.response.text(), 'action="/verify-email/resend"')
  })

  test('the 403 page of another claim offers no resend', async ({ client, assert }) => {
    const { jar } = await signUp(client, mails)
    const page = await visit(client, '/admin', jar)
    page.response.assertStatus(403)
    assert.notInclude(page.response.text(), '/verify-email/resend')
  })

  test('"check your inbox" and the resend need a signed-in user', async ({ client }) => {
    const page = await visit(client, '/verify-email')
    page.response.assertStatus(303)

    const resend = await client.post('/verify-email/resend').withCsrfToken().redirects(0)
    resend.assertStatus(303)
  })
})
