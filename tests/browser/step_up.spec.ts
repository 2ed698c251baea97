import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import { DateTime } from 'luxon'
import { AppProcess } from '#kit/testing'
import User from '#models/user'
import PasswordResetToken from '#models/password_reset_token'
import { watchPage, watchPolicyViolations } from '#tests/helpers/page_watch'
import { checkBothSchemes } from '#tests/helpers/screenshots'

const PASSWORD = 'correct horse battery'

test.group('Step-up in Chromium (production)', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start()
    return async () => {
      await server.stop()
    }
  })
  group.each.setup(async () => {
    await db.from('users').where('email', 'like', 'new.browser.step-up%').delete()
  })

  test('a session signed in by a reset link changes its password after "Confirm it\'s you", readable light and dark', async ({
    assert,
    browserContext,
  }) => {
    const email = 'new.browser.step-up@example.com'
    const user = await User.create({
      email,
      password: PASSWORD,
      role: 'user',
      emailVerifiedAt: DateTime.now(),
    })
    const token = await PasswordResetToken.issue(user)
    const violations = await watchPolicyViolations(browserContext)
    const page = await browserContext.newPage()
    const watch = watchPage(page)

    /**
     * A sign-in by the mailed link proves no password: the account
     * changes ask for one first.
     */
    const reset = `${PASSWORD} reset`
    await page.goto(`${server.url}/reset-password/${token}`)
    await page.getByLabel('Password', { exact: true }).fill(reset)
    await page.getByLabel('Password again').fill(reset)
    await page.getByRole('button', { name: 'Change my password' }).click()
    await page.waitForURL(`${server.url}/dashboard`)

    const changed = `${PASSWORD} changed`
    await page.goto(`${server.url}/account/security`)
    await page.getByLabel('Password', { exact: true }).fill(changed)
    await page.getByLabel('Password again').fill(changed)
    await page.getByRole('button', { name: 'Change my password' }).click()
    await page.waitForURL(`${server.url}/confirm?next=%2Faccount%2Fsecurity`)
    assert.equal(await page.locator('h1').innerText(), "Confirm it's you")

    await checkBothSchemes(page, assert, 'confirm page')
    await page.setViewportSize({ width: 375, height: 667 })
    const scrollWidth = await page.locator('html').evaluate((root) => root.scrollWidth)
    assert.isAtMost(scrollWidth, 375)

    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Confirm' }).click()
    await page.getByText('This password or code is not valid.').waitFor()

    await page.getByLabel('Password').fill(reset)
    await page.getByRole('button', { name: 'Confirm' }).click()
    await page.waitForURL(`${server.url}/account/security`)
    await checkBothSchemes(page, assert, 'security page')

    await page.getByLabel('Password', { exact: true }).fill(changed)
    await page.getByLabel('Password again').fill(changed)
    await page.getByRole('button', { name: 'Change my password' }).click()
    await page.getByText('Your password is changed. Every other session was signed out.').waitFor()
    const stored = await User.findOrFail(user.id)
    assert.isTrue(await hash.verify(stored.password, changed))

    assert.deepEqual(violations, [])
    assert.deepEqual(
      watch.allProblems.filter((problem) => !problem.text.includes('status of 400')),
      []
    )
  })
})
