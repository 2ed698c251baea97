import { setTimeout as sleep } from 'node:timers/promises'
import { test } from '@japa/runner'
import type { ApiResponse } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import mail from '@adonisjs/mail/services/main'
import { signIn, testServer } from '#kit/testing'
import {
  landingPage,
  openForms,
  postForm,
  sessionTokenOf,
  submitForm,
  verificationLinksSentTo,
  visit,
} from '#tests/helpers/account_forms'

const NEW_EMAIL = 'new.user@example.com'
const PASSWORD = 'correct horse battery'

/**
 * The `errors` of a JSON error body, without their stack lines (debug
 * mode adds them; they differ by where the error was thrown).
 */
function withoutStacks(response: ApiResponse) {
  return response.body().errors.map(({ stack, ...entry }: Record<string, unknown>) => entry)
}

test.group('Accounts | sign-up', (group) => {
  group.each.setup(async () => {
    await db.from('users').whereRaw('lower(email) like ?', ['new.user%']).delete()
    const mails = mail.fake()
    return () => {
      mails.messages.clear()
      mail.restore()
    }
  })

  test('the form has a CSRF field and links to sign in', async ({ client, assert }) => {
    const { response } = await visit(client, '/signup')

    response.assertStatus(200)
    assert.include(response.text(), '<h1>Create an account</h1>')
    assert.include(response.text(), "name='_csrf'")
    assert.include(response.text(), 'href="/login"')
  })

  test('a new account is created with a hashed password and signed in with a new token', async ({
    client,
    assert,
  }) => {
    const { response, jar } = await submitForm(client, '/signup', '/signup', {
      email: `  New.User@Example.COM `,
      password: PASSWORD,
      password_confirmation: PASSWORD,
    })

    response.assertStatus(302)
    response.assertHeader('location', '/verify-email')

    const user = await db.from('users').where('email', NEW_EMAIL).firstOrFail()
    assert.equal(user.role, 'user')
    assert.isNull(user.email_verified_at)
    assert.notEqual(user.password, PASSWORD)
    assert.isTrue(await hash.verify(user.password, PASSWORD))

    const page = await visit(client, '/verify-email', jar)
    page.response.assertStatus(200)
    assert.include(page.response.text(), `Signed in as ${NEW_EMAIL}`)
    assert.include(page.response.text(), `We sent a link to ${NEW_EMAIL}`)
  })

  test('sign-up mails a signed verification link for the new address', async ({
    client,
    assert,
  }) => {
    const mails = mail.fake()
    await submitForm(client, '/signup', '/signup', {
      email: NEW_EMAIL,
      password: PASSWORD,
      password_confirmation: PASSWORD,
    })

    const links = verificationLinksSentTo(mails, NEW_EMAIL)
    assert.lengthOf(links, 1)
    const link = new URL(links[0])
    assert.equal(link.origin, 'http://localhost:' + process.env.PORT)
    assert.match(link.pathname, /^\/verify-email\/\d+$/)
    assert.isNotEmpty(link.searchParams.get('signature'))

    const sent = mails.mails.sent()[0]
    sent.message.assertTo(NEW_EMAIL)
    sent.message.assertSubject('Verify your email address')
    sent.message.assertTextIncludes(links[0])
    sent.message.assertHtmlIncludes(links[0].replace(/&/g, '&amp;'))
  })

  test('the session token changes at sign-up', async ({ client, assert }) => {
    const form = await visit(client, '/signup')
    const before = sessionTokenOf(form.jar)
    const { jar } = await submitForm(
      client,
      '/signup',
      '/signup',
      { email: NEW_EMAIL, password: PASSWORD, password_confirmation: PASSWORD },
      form.jar
    )
    assert.isDefined(sessionTokenOf(jar))
    assert.notEqual(sessionTokenOf(jar), before)
  })

  test('an email in use, in any case, goes back to the form with the email kept', async ({
    client,
    assert,
  }) => {
    const mails = mail.fake()
    const { response, jar } = await submitForm(client, '/signup', '/signup', {
      email: 'DEMO@example.com',
      password: 'typed-secret-123',
      password_confirmation: 'typed-secret-123',
    })

    response.assertStatus(302)
    response.assertHeader('location', '/signup')
    mails.mails.assertNoneSent()

    const page = await visit(client, '/signup', jar)
    assert.include(page.response.text(), 'id="email-error"')
    assert.include(page.response.text(), 'value="DEMO@example.com"')
    assert.notInclude(page.response.text(), 'typed-secret-123')
    assert.notInclude(page.response.text(), 'Signed in as')
  })

  test('a double submit 30 ms apart creates one account; the other post gets "already taken"', async ({
    client,
    assert,
  }) => {
    for (const attempt of [1, 2, 3, 4, 5]) {
      const email = `new.user.double.${attempt}@example.com`
      const fields = { email, password: PASSWORD, password_confirmation: PASSWORD }
      const [first, second] = await openForms(client, '/signup', 2)
      const results = await Promise.all([
        postForm(client, '/signup', fields, first),
        sleep(30).then(() => postForm(client, '/signup', fields, second)),
      ])

      const locations = results.map((result) => result.response.header('location'))
      assert.sameMembers(
        locations,
        ['/verify-email', '/signup'],
        `statuses: ${results.map((result) => result.response.status())}`
      )
      const refused = results.find((result) => result.response.header('location') === '/signup')!
      const page = await landingPage(client, refused)
      assert.include(page, 'id="email-error"')
      assert.include(page, `value="${email}"`)
      assert.notInclude(page, PASSWORD)
      assert.lengthOf(await db.from('users').where('email', email), 1)
    }
  })

  test('twelve parallel sign-ups of one address: one account, the others answered like "already taken", never a 500', async ({
    client,
    assert,
  }) => {
    const email = 'new.user.parallel@example.com'
    const fields = (address: string) => ({
      email: address,
      password: PASSWORD,
      password_confirmation: PASSWORD,
    })
    const emailErrorOf = (html: string) => html.match(/id="email-error"[^>]*>([^<]*)</)?.[1]

    const taken = await submitForm(client, '/signup', '/signup', fields('demo@example.com'))
    const takenError = emailErrorOf(await landingPage(client, taken))
    const [takenForm] = await openForms(client, '/signup', 1)
    const takenJson = await postForm(
      client,
      '/signup',
      fields('demo@example.com'),
      takenForm,
      'application/json'
    )
    takenJson.response.assertStatus(422)

    const forms = await openForms(client, '/signup', 12)
    const results = await Promise.all(
      forms.map((form, index) =>
        postForm(
          client,
          '/signup',
          fields(email),
          form,
          index % 2 ? 'application/json' : 'text/html'
        )
      )
    )

    const statuses = results.map((result) => result.response.status())
    assert.notInclude(statuses, 500, `statuses: ${statuses}`)
    const created = results.filter(
      (result) => result.response.header('location') === '/verify-email'
    )
    assert.lengthOf(created, 1, `statuses: ${statuses}`)
    assert.lengthOf(await db.from('users').where('email', email), 1)

    for (const [index, result] of results.entries()) {
      if (result === created[0]) {
        continue
      }
      if (index % 2) {
        result.response.assertStatus(422)
        assert.deepEqual(withoutStacks(result.response), withoutStacks(takenJson.response))
      } else {
        result.response.assertHeader('location', '/signup')
        const page = await landingPage(client, result)
        assert.equal(emailErrorOf(page), takenError)
        assert.include(page, `value="${email}"`)
      }
    }
  })

  test('a short password, a long one and a mismatch are refused', async ({ client, assert }) => {
    for (const [password, confirmation] of [
      ['short', 'short'],
      ['x'.repeat(129), 'x'.repeat(129)],
      [PASSWORD, PASSWORD + '!'],
    ]) {
      const { response, jar } = await submitForm(client, '/signup', '/signup', {
        email: NEW_EMAIL,
        password,
        password_confirmation: confirmation,
      })
      response.assertHeader('location', '/signup')
      const page = await visit(client, '/signup', jar)
      assert.match(page.response.text(), /id="password(_confirmation)?-error"/, password)
      assert.include(page.response.text(), `value="${NEW_EMAIL}"`)
    }
    assert.isNull(await db.from('users').where('email', NEW_EMAIL).first())
  })

  test('API clients get a 422 with the field errors', async ({ client, assert }) => {
    const response = await client
      .post('/signup')
      .accepting('json')
      .json({ email: 'not-an-email', password: 'x' })
      .withCsrfToken()

    response.assertStatus(422)
    const fields = response.body().errors.map((error: { field: string }) => error.field)
    assert.includeMembers(fields, ['email', 'password'])
  })

  test('signed-in users are sent away from the form', async ({ client }) => {
    const { token } = await signIn(testServer, 'demo@example.com')
    const response = await client.get('/signup').as(token).redirects(0)
    response.assertStatus(302)
  })

  test('the login page links to sign-up and to "forgot password"', async ({ client, assert }) => {
    const { response } = await visit(client, '/login')
    assert.include(response.text(), 'href="/signup"')
    assert.include(response.text(), 'href="/forgot-password"')
  })
})
