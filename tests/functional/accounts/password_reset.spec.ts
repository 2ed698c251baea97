import { test, timeTravel } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import mail from '@adonisjs/mail/services/main'
import type { FakeMailer } from '@adonisjs/mail'
import type { ApiClient } from '@japa/api-client'
import { signIn, testServer } from '#kit/testing'
import { hashResetToken } from '#models/password_reset_token'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'
import {
  afterResponses,
  openForms,
  pathOf,
  postForm,
  resetLinksSentTo,
  sessionTokenOf,
  submitForm,
  visit,
} from '#tests/helpers/account_forms'

const EMAIL = 'demo@example.com'
const NEW_PASSWORD = 'a brand new passphrase'

/**
 * Asks for a reset link through the form; returns the answer and the
 * links mailed to `email` (once the mail, sent after the answer, went).
 */
async function forgot(client: ApiClient, mails: FakeMailer, typed: string, email = typed) {
  const { response, jar } = await submitForm(client, '/forgot-password', '/forgot-password', {
    email: typed,
  })
  await afterResponses()
  const page = await visit(client, '/forgot-password', jar)
  return { response, page: page.response.text(), links: resetLinksSentTo(mails, email) }
}

test.group('Accounts | password reset', (group) => {
  let mails: FakeMailer
  group.each.setup(async () => {
    await db.from('password_reset_tokens').delete()
    await db.from('sessions').delete()
    mails = mail.fake()
    return async () => {
      mail.restore()
      await db
        .from('users')
        .where('email', EMAIL)
        .update({ password: await hash.make(DEMO_PASSWORD) })
    }
  })

  test('the form answers the same whether or not the email has an account', async ({
    client,
    assert,
  }) => {
    const known = await forgot(client, mails, EMAIL)
    const unknown = await forgot(client, mails, 'nobody@example.com')

    known.response.assertHeader('location', '/forgot-password')
    unknown.response.assertHeader('location', '/forgot-password')
    const noticeOf = (html: string) => html.match(/<p class="notice"[^>]*>([^<]*)</)![1]
    assert.equal(
      noticeOf(known.page).replace(EMAIL, '<email>'),
      noticeOf(unknown.page).replace('nobody@example.com', '<email>')
    )
    assert.lengthOf(known.links, 1)
    assert.lengthOf(resetLinksSentTo(mails, 'nobody@example.com'), 0)
    mails.mails.assertSentCount(1)
  })

  test('the mail carries a link whose token is stored only as a hash, for an hour', async ({
    client,
    assert,
  }) => {
    const { links } = await forgot(client, mails, '  Demo@Example.com ', EMAIL)
    const token = pathOf(links[0]).split('/').pop()!

    const rows = await db.from('password_reset_tokens').select('*')
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].token_hash, hashResetToken(token))
    assert.notInclude(JSON.stringify(rows), token)
    const lifetime = new Date(rows[0].expires_at).getTime() - new Date(rows[0].created_at).getTime()
    assert.closeTo(lifetime, 60 * 60_000, 2000)

    const sent = mails.mails.sent()[0]
    sent.message.assertSubject('Reset your password')
    sent.message.assertTextIncludes(links[0])
  })

  test('the link sets the new password, revokes every session and signs the user in', async ({
    client,
    assert,
  }) => {
    const { token: laptop } = await signIn(testServer, EMAIL)
    const { token: phone } = await signIn(testServer, EMAIL)
    const { links } = await forgot(client, mails, EMAIL)

    const form = await visit(client, pathOf(links[0]))
    form.response.assertStatus(200)
    assert.include(form.response.text(), '<h1>Choose a new password</h1>')
    form.response.assertHeader('cache-control', 'no-store')

    const { response, jar } = await submitForm(client, pathOf(links[0]), pathOf(links[0]), {
      password: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    })
    response.assertStatus(302)
    response.assertHeader('location', '/dashboard')

    const user = await db.from('users').where('email', EMAIL).firstOrFail()
    assert.isTrue(await hash.verify(user.password, NEW_PASSWORD))

    for (const token of [laptop, phone]) {
      const me = await client.get('/api/me').accepting('json').as(token)
      me.assertStatus(401)
    }
    const families = await db.from('sessions').where('user_id', String(user.id))
    assert.lengthOf(families, 1, 'only the new session')

    const dashboard = await visit(client, '/dashboard', jar)
    dashboard.response.assertStatus(200)
    assert.include(dashboard.response.text(), `Signed in as ${EMAIL}`)
    assert.isDefined(sessionTokenOf(jar))
  })

  test('a reset link works once', async ({ client, assert }) => {
    const { links } = await forgot(client, mails, EMAIL)
    await submitForm(client, pathOf(links[0]), pathOf(links[0]), {
      password: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    })

    const again = await visit(client, pathOf(links[0]))
    again.response.assertStatus(400)
    assert.include(again.response.text(), 'This link does not work')
    assert.include(again.response.text(), 'href="/forgot-password"')
  })

  test('of six parallel posts of one link, exactly one sets the password; the others get the used-link page', async ({
    client,
    assert,
  }) => {
    const { links } = await forgot(client, mails, EMAIL)
    const path = pathOf(links[0])

    const forms = await openForms(client, path, 6)
    const passwords = forms.map((_, index) => `${NEW_PASSWORD} number ${index}`)
    const results = await Promise.all(
      forms.map((form, index) =>
        postForm(
          client,
          path,
          { password: passwords[index], password_confirmation: passwords[index] },
          form
        )
      )
    )

    const statuses = results.map((result) => result.response.status())
    const winners = results.filter((result) => result.response.status() === 302)
    assert.lengthOf(winners, 1, `statuses: ${statuses}`)
    winners[0].response.assertHeader('location', '/dashboard')

    const used = await visit(client, path)
    used.response.assertStatus(400)
    const headingOf = (html: string) => html.match(/<h1>([^<]*)<\/h1>/)?.[1]
    for (const loser of results.filter((result) => result !== winners[0])) {
      loser.response.assertStatus(400)
      assert.equal(headingOf(loser.response.text()), headingOf(used.response.text()))
      assert.include(loser.response.text(), 'This link does not work')
      assert.include(loser.response.text(), 'href="/forgot-password"')
    }

    const user = await db.from('users').where('email', EMAIL).firstOrFail()
    assert.isTrue(await hash.verify(user.password, passwords[results.indexOf(winners[0])]))
    assert.lengthOf(await db.from('password_reset_tokens'), 0)
  })

  test('a reset spends the older links too', async ({ client, assert }) => {
    const first = await forgot(client, mails, EMAIL)
    const second = await forgot(client, mails, EMAIL)
    assert.lengthOf(second.links, 2)

    await submitForm(client, pathOf(second.links[1]), pathOf(second.links[1]), {
      password: NEW_PASSWORD,
      password_confirmation: NEW_PASSWORD,
    })
    const older = await visit(client, pathOf(first.links[0]))
    older.response.assertStatus(400)
  })

  test('an expired link gets a clear page and sets nothing', async ({ client, assert }) => {
    const { links } = await forgot(client, mails, EMAIL)
    const path = pathOf(links[0])
    const form = await visit(client, path)

    timeTravel('61 minutes')
    const expired = await visit(client, path, form.jar)
    expired.response.assertStatus(400)
    assert.include(expired.response.text(), 'It has expired')
    assert.lengthOf(await db.from('password_reset_tokens'), 0)
  })

  test('unknown, malformed and tampered tokens get a clear page, never a 500', async ({
    client,
    assert,
  }) => {
    const { links } = await forgot(client, mails, EMAIL)
    const token = pathOf(links[0]).split('/').pop()!
    for (const bad of [
      'x',
      token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'),
      '%F0%9F%92%A9',
      'a'.repeat(5000),
    ]) {
      const page = await visit(client, `/reset-password/${bad}`)
      page.response.assertStatus(400)
      assert.include(page.response.text(), 'This link does not work')
    }
    const posted = await client
      .post('/reset-password/not-a-token')
      .form({ password: NEW_PASSWORD, password_confirmation: NEW_PASSWORD })
      .withCsrfToken()
      .redirects(0)
    posted.assertStatus(400)
  })

  test('a short or mismatched password goes back to the form, the link still working', async ({
    client,
    assert,
  }) => {
    const { links } = await forgot(client, mails, EMAIL)
    const path = pathOf(links[0])
    const { response, jar } = await submitForm(client, path, path, {
      password: 'short',
      password_confirmation: 'short',
    })
    response.assertHeader('location', path)
    const page = await visit(client, path, jar)
    page.response.assertStatus(200)
    assert.include(page.response.text(), 'id="password-error"')

    const user = await db.from('users').where('email', EMAIL).firstOrFail()
    assert.isTrue(await hash.verify(user.password, DEMO_PASSWORD))
  })

  test('an invalid email goes back to the form with the field error', async ({
    client,
    assert,
  }) => {
    const { response, page } = await forgot(client, mails, 'not-an-email')
    response.assertHeader('location', '/forgot-password')
    assert.include(page, 'id="email-error"')
    assert.include(page, 'value="not-an-email"')
    mails.mails.assertNoneSent()
  })
})
