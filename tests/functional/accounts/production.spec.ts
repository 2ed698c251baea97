import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { AppProcess, freePort } from '#tests/helpers/app_process'
import { csrfTokenOf, sessionCookieOf } from '#tests/helpers/server_session'
import { SmtpSink, linkIn } from '#tests/helpers/smtp_sink'

/**
 * Fills the form of `page` and posts it to `action`, as a browser with no
 * cookie yet: returns the answer and the session cookie it set.
 */
async function submit(
  server: AppProcess,
  page: string,
  action: string,
  fields: Record<string, string>
) {
  const form = await server.fetch(page)
  const cookie = form.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ')
  const response = await server.fetch(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ ...fields, _csrf: csrfTokenOf(await form.text()) }),
  })
  return { response, cookie: sessionCookieOf(response) ?? cookie }
}

const PASSWORD = 'correct horse battery'

test.group('Accounts | production mail over SMTP', (group) => {
  let server: AppProcess
  let sink: SmtpSink
  group.setup(async () => {
    sink = await new SmtpSink().start()
    server = await AppProcess.start({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      MAIL_FROM: 'Starter kit <kit@example.com>',
    })
    return async () => {
      await server.stop()
      await sink.stop()
    }
  })
  group.each.setup(async () => {
    await db.from('users').where('email', 'like', 'new.prod%').delete()
  })

  test('/dev/mails is a 404 in production', async () => {
    const list = await server.fetch('/dev/mails', { headers: { accept: 'text/html' } })
    const file = await server.fetch('/dev/mails/x.html', { headers: { accept: 'text/html' } })
    if (list.status !== 404 || file.status !== 404) {
      throw new Error(`expected 404s, got ${list.status} and ${file.status}`)
    }
  })

  test('sign-up mails the verification link over SMTP, from MAIL_FROM', async ({ assert }) => {
    const email = 'new.prod.smtp@example.com'
    const { response, cookie } = await submit(server, '/signup', '/signup', {
      email,
      password: PASSWORD,
      password_confirmation: PASSWORD,
    })
    assert.equal(response.status, 302)

    const body = await sink.waitForMail(email)
    assert.equal(sink.mails.find((mail) => mail.to.includes(email))!.from, 'kit@example.com')
    assert.include(body, 'Subject: Verify your email address')
    const link = linkIn(body, `${server.url}/verify-email/`)

    const followed = await server.fetch(link.slice(server.url.length), {
      headers: { cookie, accept: 'text/html' },
    })
    assert.equal(followed.status, 302)
    assert.equal(followed.headers.get('location'), '/dashboard')
    const user = await db.from('users').where('email', email).firstOrFail()
    assert.isNotNull(user.email_verified_at)
  })
})

test.group('Accounts | production, the SMTP server cannot be reached', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(await freePort()),
    })
    return async () => {
      await server.stop()
    }
  })
  group.each.setup(async () => {
    await db.from('users').where('email', 'like', 'new.prod%').delete()
  })

  test('sign-up still creates the account; the page says the mail was not sent; it is logged', async ({
    assert,
  }) => {
    const email = 'new.prod.down@example.com'
    const since = server.output.length
    const { response, cookie } = await submit(server, '/signup', '/signup', {
      email,
      password: PASSWORD,
      password_confirmation: PASSWORD,
    })
    assert.equal(response.status, 302)
    assert.equal(response.headers.get('location'), '/verify-email')
    assert.isNotNull(await db.from('users').where('email', email).first())

    const page = await server.fetch('/verify-email', { headers: { cookie, accept: 'text/html' } })
    const html = await page.text()
    assert.include(html, 'We could not send the email just now')
    assert.include(html, 'Send a new link')

    const failure = server.logLines(since).find((line) => line.msg?.startsWith('could not send'))
    assert.exists(failure)
    assert.equal(failure!.level, 50)
    assert.equal(failure!.mail, 'VerifyEmailNotification')
    assert.notInclude(JSON.stringify(server.logLines(since)), PASSWORD)
  })

  test('"forgot password" says the mail was not sent and leaves no token behind', async ({
    assert,
  }) => {
    const since = server.output.length
    const { response, cookie } = await submit(server, '/forgot-password', '/forgot-password', {
      email: 'demo@example.com',
    })
    assert.equal(response.headers.get('location'), '/forgot-password')

    const page = await server.fetch('/forgot-password', {
      headers: { cookie, accept: 'text/html' },
    })
    const html = await page.text()
    assert.include(html, 'We could not send the email just now')
    assert.include(html, 'value="demo@example.com"')
    const demo = await db.from('users').where('email', 'demo@example.com').firstOrFail()
    assert.lengthOf(await db.from('password_reset_tokens').where('user_id', demo.id), 0)
    assert.exists(server.logLines(since).find((line) => line.mail === 'ResetPasswordNotification'))
  })
})
