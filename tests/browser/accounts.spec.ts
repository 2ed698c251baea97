import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import User from '#models/user'
import { AppProcess } from '#kit/testing'
import { watchPage } from '#tests/helpers/page_watch'
import { SmtpSink, linkIn } from '#tests/helpers/smtp_sink'
import { SCREENSHOT_VIEWPORT, checkBothSchemes, pictureSource } from '#tests/helpers/screenshots'
import { signInThroughForm, signedInAs } from '#tests/helpers/browser_sign_in'

const PASSWORD = 'correct horse battery'

test.group('Accounts in Chromium (production, mail over SMTP)', (group) => {
  let server: AppProcess
  let sink: SmtpSink
  group.setup(async () => {
    sink = await new SmtpSink().start()
    server = await AppProcess.start({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port) })
    return async () => {
      await server.stop()
      await sink.stop()
    }
  })
  group.each.setup(async () => {
    await db.from('users').where('email', 'like', 'new.browser%').delete()
  })

  test('sign up from the login page, verify the address from the mail, reach billing', async ({
    assert,
    browserContext,
  }) => {
    const email = 'new.browser.signup@example.com'
    const page = await browserContext.newPage()
    const watch = watchPage(page)

    await page.goto(`${server.url}/login`)
    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.waitForURL(`${server.url}/signup`)
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByLabel('Password again').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()

    await page.waitForURL(`${server.url}/verify-email`)
    assert.equal(await signedInAs(page), `Signed in as ${email}`)
    assert.include(await page.locator('.notice').innerText(), `We sent a link to ${email}`)

    /**
     * Billing needs a verified address: its 403 page offers a new link.
     */
    const denied = (await page.goto(`${server.url}/billing`))!
    assert.equal(denied.status(), 403)
    await page.getByRole('button', { name: 'Send a new link' }).click()
    await page.waitForURL(`${server.url}/verify-email`)
    assert.include(await page.locator('.notice').innerText(), `We sent a new link to ${email}`)

    await sink.waitForMail(email)
    const mails = sink.mails.filter((mail) => mail.to.includes(email))
    assert.lengthOf(mails, 2)
    const link = linkIn(await sink.waitForMail(email), `${server.url}/verify-email/`)

    await page.goto(link)
    await page.waitForURL(`${server.url}/dashboard`)
    assert.equal(
      await page.locator('.notice').innerText(),
      'Thank you: your email address is verified.'
    )
    const billing = (await page.goto(`${server.url}/billing`))!
    assert.equal(billing.status(), 200)
    assert.deepEqual(
      watch.allProblems.filter((problem) => !problem.text.includes('status of 403')),
      []
    )
  })

  test('forget the password, reset it from the mail: other sessions end, the new one works', async ({
    assert,
    browser,
  }) => {
    const email = 'new.browser.reset@example.com'
    await User.create({
      email,
      password: 'the old password',
      role: 'user',
      emailVerifiedAt: DateTime.now(),
    })

    const otherDevice = await browser.newContext()
    const other = await otherDevice.newPage()
    await signInThroughForm(other, server.url, email, 'the old password')

    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${server.url}/login`)
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await page.waitForURL(`${server.url}/forgot-password`)
    await page.getByLabel('Email').fill(email)
    await page.getByRole('button', { name: 'Send me a link' }).click()
    await page.waitForURL(`${server.url}/forgot-password`)
    assert.include(await page.locator('.notice').innerText(), `If an account uses ${email}`)

    const link = linkIn(await sink.waitForMail(email), `${server.url}/reset-password/`)
    await page.goto(link)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByLabel('Password again').fill(PASSWORD)
    await page.getByRole('button', { name: 'Change my password' }).click()
    await page.waitForURL(`${server.url}/dashboard`)
    assert.equal(await signedInAs(page), `Signed in as ${email}`)

    /**
     * The other device was signed out; the link is spent.
     */
    await other.goto(`${server.url}/dashboard`)
    await other.waitForURL(`${server.url}/login?next=%2Fdashboard`)
    const spent = (await page.goto(link))!
    assert.equal(spent.status(), 400)

    /**
     * Sign out, and in again with the new password.
     */
    await page.goto(`${server.url}/dashboard`)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${server.url}/login`)
    await signInThroughForm(page, server.url, email, PASSWORD)
    assert.equal(await signedInAs(page), `Signed in as ${email}`)

    await otherDevice.close()
    await context.close()
  })

  test('the pages: readable light and dark, 375 px wide, pictured', async ({
    assert,
    browserContext,
  }) => {
    const email = 'new.browser.pages@example.com'
    await User.create({ email, password: PASSWORD, role: 'user' })
    const page = await browserContext.newPage()
    const watch = watchPage(page)

    await page.goto(`${server.url}/forgot-password`)
    await page.getByLabel('Email').fill(email)
    await page.getByRole('button', { name: 'Send me a link' }).click()
    await page.waitForURL(`${server.url}/forgot-password`)
    const resetLink = linkIn(await sink.waitForMail(email), `${server.url}/reset-password/`)

    const pages: { name: string; path: string; signedIn?: boolean }[] = [
      { name: 'signup', path: '/signup' },
      { name: 'forgot-password', path: '/forgot-password' },
      { name: 'reset-password', path: resetLink.slice(server.url.length) },
      { name: 'link-expired', path: '/reset-password/not-a-valid-token' },
      { name: 'verify-email', path: '/verify-email', signedIn: true },
    ]

    for (const { name, path, signedIn } of pages) {
      if (signedIn) {
        await signInThroughForm(page, server.url, email, PASSWORD)
      }
      await page.setViewportSize(SCREENSHOT_VIEWPORT)
      await page.goto(`${server.url}${path}`)
      /**
       * The reset token of the link is new on every run.
       */
      const source = await pictureSource(page, (html) =>
        html.replace(/\/reset-password\/[\w-]{43}/g, '/reset-password/<token>')
      )
      await checkBothSchemes(page, assert, name, source)

      await page.setViewportSize({ width: 375, height: 667 })
      const scrollWidth = await page.locator('html').evaluate((root) => root.scrollWidth)
      assert.isAtMost(scrollWidth, 375, name)
    }

    assert.deepEqual(
      watch.allProblems.filter((problem) => !problem.text.includes('status of 400')),
      []
    )
  })
})
