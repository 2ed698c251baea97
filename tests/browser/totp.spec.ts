import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type { Page } from 'playwright'
import type { Assert } from '@japa/assert'
import { AppProcess } from '#kit/testing'
import { totpCode } from '#kit/mfa'
import User from '#models/user'
import { watchPage, watchPolicyViolations } from '#tests/helpers/page_watch'
import { signInThroughForm, signedInAs } from '#tests/helpers/browser_sign_in'
import { SCREENSHOT_VIEWPORT, checkBothSchemes, pictureSource } from '#tests/helpers/screenshots'

const PASSWORD = 'correct horse battery'

/**
 * Pictures the page in both colour schemes, with what changes from one
 * run to the next blanked (the secret and its QR code, the recovery codes).
 */
async function picture(page: Page, assert: Assert, name: string) {
  const source = await pictureSource(page, (html) =>
    html
      .replace(/(<figure class="qr-code">)[\s\S]*?(<\/figure>)/, '$1$2')
      .replace(/(<code class="totp-secret">)[^<]*/, '$1')
      .replace(/(<li><code>)[^<]*/g, '$1')
  )
  await checkBothSchemes(page, assert, name, source)
}

test.group('Authenticator app in Chromium (production)', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start()
    return async () => {
      await server.stop()
    }
  })
  group.each.setup(async () => {
    await db.from('users').where('email', 'like', 'totp.browser%').delete()
  })

  test('set it up from the QR page, keep the recovery codes, sign in with a code, then with a recovery code', async ({
    assert,
    browserContext,
  }) => {
    const email = 'totp.browser.flow@example.com'
    await User.create({ email, password: PASSWORD, role: 'user', emailVerifiedAt: DateTime.now() })
    const violations = await watchPolicyViolations(browserContext)
    const page = await browserContext.newPage()
    await page.setViewportSize(SCREENSHOT_VIEWPORT)
    const watch = watchPage(page)

    /**
     * The security page offers the app; its page draws the QR code as an
     * inline SVG (no script, nothing the CSP refuses) and shows the key.
     */
    await signInThroughForm(page, server.url, email, PASSWORD)
    await page.goto(`${server.url}/account/security`)
    await page.getByRole('link', { name: 'Set up an authenticator app' }).click()
    await page.waitForURL(`${server.url}/account/security/totp`)
    assert.equal(await page.locator('figure.qr-code svg').count(), 1)
    const shown = await page.locator('code.totp-secret').innerText()
    const secret = shown.replace(/\s/g, '')
    assert.match(secret, /^[A-Z2-7]{32}$/)
    await picture(page, assert, 'totp-setup')

    /**
     * A wrong code changes nothing; the app's code turns it on and shows
     * the ten recovery codes, once.
     */
    await page.getByLabel('Code', { exact: true }).fill('000000')
    await page.getByRole('button', { name: 'Turn on' }).click()
    await page.getByText('This code is not valid.').waitFor()
    await page.getByLabel('Code', { exact: true }).fill(totpCode(secret, Date.now()))
    await page.getByRole('button', { name: 'Turn on' }).click()
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor()
    const codes = await page.locator('ul.recovery-codes code').allInnerTexts()
    assert.lengthOf(codes, 10)
    await picture(page, assert, 'recovery-codes')
    await page.getByRole('link', { name: 'I have saved them' }).click()
    await page.waitForURL(`${server.url}/account/security`)
    assert.include(await page.locator('main').innerText(), '10')

    /**
     * Signed out and in with the password: the dashboard asks for the
     * second step, and the app's next code passes it (the code of the
     * step used to turn it on is spent).
     */
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${server.url}/login`)
    await signInThroughForm(page, server.url, email, PASSWORD)
    await page.goto(`${server.url}/dashboard`)
    await page.waitForURL(`${server.url}/mfa/challenge?next=%2Fdashboard`)
    await picture(page, assert, 'mfa-challenge')
    await page.getByLabel('Code', { exact: true }).fill(totpCode(secret, Date.now() + 30_000))
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(`${server.url}/dashboard`)
    assert.equal(await page.locator('h1').innerText(), 'Dashboard')

    /**
     * "Confirm it's you" offers the password and the app's codes.
     */
    await page.goto(`${server.url}/confirm?next=%2Faccount%2Fsecurity`)
    await picture(page, assert, 'confirm')

    /**
     * Once more, with a recovery code instead of the app: it works once,
     * and the page says how many are left.
     */
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${server.url}/login`)
    await signInThroughForm(page, server.url, email, PASSWORD)
    await page.goto(`${server.url}/mfa/challenge`)
    await page.getByLabel('Code', { exact: true }).fill(codes[0])
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(`${server.url}/`)
    await page.getByText('A recovery code was used: 9 left.').waitFor()
    assert.equal(await signedInAs(page), `Signed in as ${email}`)

    assert.deepEqual(violations, [])
    assert.deepEqual(watch.allProblems, [])
  })
})
