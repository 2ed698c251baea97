import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type { BrowserContext, Page } from 'playwright'
import { AppProcess, freePort } from '#kit/testing'
import User from '#models/user'
import PasswordResetToken from '#models/password_reset_token'
import { watchPage, watchPolicyViolations } from '#tests/helpers/page_watch'
import { signInThroughForm, signedInAs } from '#tests/helpers/browser_sign_in'
import { SCREENSHOT_VIEWPORT, checkBothSchemes, pictureSource } from '#tests/helpers/screenshots'

const PASSWORD = 'correct horse battery'

/**
 * A virtual authenticator in the page's browser (Chrome DevTools
 * Protocol): a platform authenticator with discoverable credentials that
 * verifies its user (as a fingerprint would) and answers every prompt at
 * once.
 */
async function addVirtualAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  })
  return {
    async credentials() {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
      return credentials
    },
  }
}

test.group('Passkeys in Chromium (production, virtual authenticator)', (group) => {
  let server: AppProcess
  /**
   * WebAuthn refuses IP addresses as relying party ids: the pages are
   * opened at http://localhost:<port> (a secure context), the relying
   * party of that origin.
   */
  let origin: string
  group.setup(async () => {
    const port = await freePort()
    origin = `http://localhost:${port}`
    server = await AppProcess.start({ PORT: String(port), APP_URL: origin })
    return async () => {
      await server.stop()
    }
  })
  group.each.setup(async () => {
    await db.from('users').where('email', 'like', 'passkey.browser%').delete()
  })

  test('add a passkey, give it as the second factor, then sign in with it alone', async ({
    assert,
    browserContext,
  }) => {
    const email = 'passkey.browser.flow@example.com'
    await User.create({ email, password: PASSWORD, role: 'user', emailVerifiedAt: DateTime.now() })
    const violations = await watchPolicyViolations(browserContext)
    const page = await browserContext.newPage()
    const watch = watchPage(page)
    const authenticator = await addVirtualAuthenticator(browserContext, page)

    /**
     * Add a passkey from the security page (a session without a factor
     * yet: the password was enough).
     */
    await signInThroughForm(page, origin, email, PASSWORD)
    await page.goto(`${origin}/account/security`)
    await page.getByLabel('Name of the new passkey').fill('Virtual laptop')
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.getByText('The passkey "Virtual laptop" was added.').waitFor()
    assert.equal(await page.locator('#passkeys h3').innerText(), 'Virtual laptop')
    const [credential] = await authenticator.credentials()
    assert.isTrue(credential.isResidentCredential, 'a discoverable passkey')
    assert.equal(credential.rpId, 'localhost')

    /**
     * The same device again: it holds a passkey of the account already
     * (excluded in the options), and the page says so.
     */
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.getByText('This device has a passkey for your account already.').waitFor()
    assert.lengthOf(await authenticator.credentials(), 1)

    /**
     * Sign out, sign in with the password: the dashboard asks for the
     * second factor, which the passkey gives.
     */
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${origin}/login`)
    await signInThroughForm(page, origin, email, PASSWORD)
    await page.goto(`${origin}/dashboard`)
    await page.waitForURL(`${origin}/mfa/challenge?next=%2Fdashboard`)
    await page.getByRole('button', { name: 'Use a passkey' }).click()
    await page.waitForURL(`${origin}/dashboard`)
    assert.equal(await page.locator('h1').innerText(), 'Dashboard')

    /**
     * Sign out, and in with the passkey alone: no email, no password, no
     * second step.
     */
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${origin}/login`)
    await page.getByRole('button', { name: 'Use a passkey' }).click()
    await page.waitForURL(`${origin}/`)
    assert.equal(await signedInAs(page), `Signed in as ${email}`)
    await page.goto(`${origin}/dashboard`)
    assert.equal(await page.locator('h1').innerText(), 'Dashboard')

    const [row] = await db
      .from('webauthn_credentials')
      .where(
        'credential_id',
        credential.credentialId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
      )
    assert.exists(row, 'the passkey the browser holds is the one stored')
    assert.isNotNull(row.last_used_at)

    assert.deepEqual(violations, [])
    assert.deepEqual(watch.allProblems, [])
  })

  test('without a recent proof, "Add a passkey" goes to "Confirm it\'s you" and back', async ({
    assert,
    browserContext,
  }) => {
    const email = 'passkey.browser.step-up@example.com'
    const user = await User.create({
      email,
      password: PASSWORD,
      role: 'user',
      emailVerifiedAt: DateTime.now(),
    })
    const token = await PasswordResetToken.issue(user)
    const page = await browserContext.newPage()
    const watch = watchPage(page)
    await addVirtualAuthenticator(browserContext, page)

    /**
     * A sign-in by a reset link proves no password: adding a passkey asks
     * for one first.
     */
    const reset = `${PASSWORD} reset`
    await page.goto(`${origin}/reset-password/${token}`)
    await page.getByLabel('Password', { exact: true }).fill(reset)
    await page.getByLabel('Password again').fill(reset)
    await page.getByRole('button', { name: 'Change my password' }).click()
    await page.waitForURL(`${origin}/dashboard`)

    await page.goto(`${origin}/account/security`)
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.waitForURL(`${origin}/confirm?next=%2Faccount%2Fsecurity`)
    await page.getByLabel('Password').fill(reset)
    await page.getByRole('button', { name: 'Confirm' }).click()
    await page.waitForURL(`${origin}/account/security`)

    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.getByText('The passkey "Passkey 1" was added.').waitFor()
    assert.lengthOf(await db.from('webauthn_credentials').where('user_id', user.id), 1)
    assert.deepEqual(
      watch.allProblems.filter((problem) => !/status of 403/.test(problem.text)),
      []
    )
  })

  test('a passkey prompt that fails says so on the page, and the forms still work', async ({
    assert,
    browserContext,
  }) => {
    const page = await browserContext.newPage()
    const watch = watchPage(page)
    await addVirtualAuthenticator(browserContext, page)

    /**
     * The browser holds no passkey of the site: the prompt fails.
     */
    await page.goto(`${origin}/login`)
    await page.getByRole('button', { name: 'Use a passkey' }).click()
    const status = page.locator('[data-passkey-status]')
    await status.waitFor()
    assert.match(await status.innerText(), /closed or timed out|could not be verified/)
    assert.equal(page.url(), `${origin}/login`)
    assert.isNull(await signedInAs(page))
    assert.isAtMost(
      watch.allProblems.filter((problem) => !/status of 400/.test(problem.text)).length,
      0
    )
  })

  test('the pages: readable light and dark, pictured', async ({ assert, browserContext }) => {
    const email = 'passkey.browser.pages@example.com'
    await User.create({ email, password: PASSWORD, role: 'user', emailVerifiedAt: DateTime.now() })
    const page = await browserContext.newPage()
    await addVirtualAuthenticator(browserContext, page)
    await signInThroughForm(page, origin, email, PASSWORD)
    await page.goto(`${origin}/account/security`)
    await page.getByLabel('Name of the new passkey').fill('Laptop')
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.getByText('The passkey "Laptop" was added.').waitFor()

    /**
     * Fixed dates, so that taking the pictures again gives the same files.
     */
    const user = await User.findByOrFail('email', email)
    const [laptop] = await db.from('webauthn_credentials').where('user_id', user.id)
    /**
     * A second passkey, of another device (one authenticator holds one
     * passkey of an account): a row for the picture only.
     */
    const [phone] = await db
      .table('webauthn_credentials')
      .insert({
        ...laptop,
        id: undefined,
        credential_id: `${laptop.credential_id}-phone`,
        name: 'Phone',
      })
      .returning('id')
    const fixDates = async () => {
      await db.from('webauthn_credentials').where('id', laptop.id).update({
        created_at: '2026-03-02 09:15:00',
        last_used_at: '2026-03-20 18:40:00',
      })
      await db
        .from('webauthn_credentials')
        .where('id', phone.id ?? phone)
        .update({
          created_at: '2026-03-05 12:00:00',
          last_used_at: null,
        })
    }
    const picture = async (name: string, path: string) => {
      await fixDates()
      await page.goto(`${origin}${path}`)
      await checkBothSchemes(page, assert, name, await pictureSource(page))
    }

    await page.setViewportSize(SCREENSHOT_VIEWPORT)
    await picture('security-passkeys', '/account/security')

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${origin}/login`)
    await picture('login-passkey', '/login')

    await signInThroughForm(page, origin, email, PASSWORD)
    await picture('mfa-challenge-passkey', '/mfa/challenge?next=%2Fdashboard')
  })
})
