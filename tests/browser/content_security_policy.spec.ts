import { test } from '@japa/runner'
import type { Page } from 'playwright'
import { AppProcess } from '#kit/testing'
import { watchPage, watchPolicyViolations } from '#tests/helpers/page_watch'
import { signedInAs } from '#tests/helpers/browser_sign_in'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'

/**
 * The background of the body in each colour scheme, from public/css/app.css
 * and the status pages' own nonce'd <style>: a page whose styles were
 * blocked would stay transparent.
 */
const BACKGROUNDS = { light: 'rgb(255, 255, 255)', dark: 'rgb(22, 22, 26)' }

/**
 * Every kind of status page: rendered after shield ran, outside shield
 * (unknown URL, malformed URL), and the fallback page.
 */
const STATUS_PAGES = [
  { path: '/no-such-page', status: 404 },
  { path: '/%E0%A4%A', status: 400 },
  ...[400, 401, 403, 418, 419, 429, 503].map((status) => ({
    path: `/__test__/errors/status/${status}`,
    status,
  })),
  { path: '/__test__/errors/crash', status: 500 },
  { path: '/__test__/faults/status-page-throws/503', status: 503 },
  { path: '/__test__/faults/handle-throws', status: 409 },
]

/**
 * The background colour of the page's body.
 */
function bodyBackground(page: Page) {
  return page
    .locator('body')
    .evaluate((body) => (globalThis as any).getComputedStyle(body).backgroundColor as string)
}

/**
 * The console errors that name the Content-Security-Policy.
 */
function policyMessages(problems: { text: string }[]) {
  return problems.filter((problem) => /Content Security Policy/i.test(problem.text))
}

test.group('Content-Security-Policy in Chromium (production)', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start()
    return async () => {
      await server.stop()
    }
  })

  test('the watch sees a violation: a page with an inline style and no nonce', async ({
    assert,
    browserContext,
  }) => {
    const violations = await watchPolicyViolations(browserContext)
    const page = await browserContext.newPage()
    const watch = watchPage(page)
    const url = `${server.url}/__not_the_app__`
    await page.route(url, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        headers: { 'content-security-policy': "default-src 'self'" },
        body: '<!DOCTYPE html><style>p{color:red}</style><p style="color:blue">probe</p>',
      })
    )

    await page.goto(url)
    await page.waitForTimeout(100)

    assert.includeDeepMembers(
      violations.map(({ directive }) => directive),
      ['style-src-elem', 'style-src-attr']
    )
    assert.isNotEmpty(policyMessages(watch.allProblems))
  })

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`no status page logs a violation (${colorScheme})`, async ({ assert, browserContext }) => {
      const violations = await watchPolicyViolations(browserContext)
      const page = await browserContext.newPage()
      await page.emulateMedia({ colorScheme })
      const watch = watchPage(page)

      for (const { path, status } of STATUS_PAGES) {
        const response = (await page.goto(`${server.url}${path}`))!
        assert.equal(response.status(), status, path)
        assert.match(response.headers()['content-security-policy'], /style-src 'self' 'nonce-/)
        assert.equal(await bodyBackground(page), BACKGROUNDS[colorScheme], path)
      }

      assert.deepEqual(violations, [])
      assert.deepEqual(policyMessages(watch.allProblems), [])
    })

    test(`no page of a visit logs a violation (${colorScheme}): sign-in, dashboard, sessions, admin 403`, async ({
      assert,
      browserContext,
    }) => {
      const violations = await watchPolicyViolations(browserContext)
      const page = await browserContext.newPage()
      await page.emulateMedia({ colorScheme })
      const watch = watchPage(page)
      const documents: { path: string; policy: string | undefined }[] = []
      page.on('response', (response) => {
        if (
          response.request().resourceType() === 'document' &&
          (response.status() < 300 || response.status() >= 400)
        ) {
          documents.push({
            path: new URL(response.url()).pathname,
            policy: response.headers()['content-security-policy'],
          })
        }
      })

      await page.goto(`${server.url}/`)
      assert.equal(await bodyBackground(page), BACKGROUNDS[colorScheme])

      /**
       * A form sent with errors goes back where it came from, "next"
       * included: the browser still sends the same-origin Referer that
       * `redirect().back()` reads (Referrer-Policy: same-origin).
       */
      await page.goto(`${server.url}/sessions`)
      await page.waitForURL(`${server.url}/login?next=%2Fsessions`)
      await page.getByLabel('Email').fill('demo@example.com')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.locator('#password-error').waitFor()
      assert.equal(page.url(), `${server.url}/login?next=%2Fsessions`)

      await page.getByLabel('Password').fill(DEMO_PASSWORD)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`${server.url}/sessions`)
      assert.equal(await signedInAs(page), 'Signed in as demo@example.com')
      assert.equal(await bodyBackground(page), BACKGROUNDS[colorScheme])

      await page.goto(`${server.url}/dashboard`)
      assert.equal(await page.locator('h1').innerText(), 'Dashboard')
      await page.goto(`${server.url}/billing`)
      assert.equal(await page.locator('h1').innerText(), 'Billing')

      const admin = (await page.goto(`${server.url}/admin`))!
      assert.equal(admin.status(), 403)
      assert.equal(await page.locator('h1').innerText(), 'Access denied')
      assert.equal(await bodyBackground(page), BACKGROUNDS[colorScheme])

      await page.goto(`${server.url}/`)
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.waitForURL(`${server.url}/login`)

      assert.includeMembers(
        documents.map(({ path }) => path),
        ['/', '/login', '/sessions', '/dashboard', '/billing', '/admin']
      )
      for (const { path, policy } of documents) {
        assert.match(policy ?? '', /^default-src 'self';.*style-src 'self' 'nonce-/, path)
      }
      assert.deepEqual(violations, [])
      assert.deepEqual(policyMessages(watch.allProblems), [])
    })
  }
})
