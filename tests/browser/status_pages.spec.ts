import { test } from '@japa/runner'
import { AppProcess } from '#kit/testing'
import { watchPage } from '#tests/helpers/page_watch'
import { colourReport, lowContrastTexts } from '#tests/helpers/contrast'
import {
  SCREENSHOT_REQUEST_ID,
  SCREENSHOT_VIEWPORT,
  checkScreenshot,
} from '#tests/helpers/screenshots'

/**
 * One status page as a visitor meets it: where to find it, and what it
 * must say. `name` names its pictures in docs/screenshots/.
 */
type StatusPageCase = {
  name: string
  path: string
  status: number
  heading: string
  detail?: string
}

const message = (text: string) => `?message=${encodeURIComponent(text)}`

/**
 * Every status page of "resources/views/errors/", through routes that
 * fail the way real ones do (kit/testing/fixtures/error_routes.ts).
 */
const STATUS_PAGES: StatusPageCase[] = [
  { name: 'not-found', path: '/no-such-page', status: 404, heading: 'Page not found' },
  {
    name: 'unauthorized',
    path: `/__test__/errors/status/401${message('Unauthorized')}`,
    status: 401,
    heading: 'Please sign in',
  },
  {
    name: 'forbidden',
    path: `/__test__/errors/status/403${message('Only the owner of this project can change it.')}`,
    status: 403,
    heading: 'Access denied',
    detail: 'Only the owner of this project can change it.',
  },
  {
    name: 'page-expired',
    path: `/__test__/errors/status/419${message('Page Expired')}`,
    status: 419,
    heading: 'Page expired',
  },
  {
    name: 'too-many-requests',
    path: `/__test__/errors/status/429${message('Too many sign-in attempts. Try again in a minute.')}`,
    status: 429,
    heading: 'Too many requests',
    detail: 'Too many sign-in attempts. Try again in a minute.',
  },
  {
    name: 'server-error',
    path: '/__test__/errors/crash',
    status: 500,
    heading: 'Something went wrong',
  },
  {
    name: 'service-unavailable',
    path: `/__test__/errors/status/503${message('database is down for maintenance')}`,
    status: 503,
    heading: 'Service unavailable',
  },
  {
    name: 'client-error',
    path: `/__test__/errors/status/400${message('The "date" parameter is not a valid date.')}`,
    status: 400,
    heading: 'Bad Request',
    detail: 'The "date" parameter is not a valid date.',
  },
]

test.group('Status pages in Chromium (production)', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start()
    return async () => {
      await server.stop()
    }
  })

  for (const statusPage of STATUS_PAGES) {
    test(`${statusPage.status}: ${statusPage.heading}`, async ({ assert, browserContext }) => {
      const page = await browserContext.newPage()
      await page.setViewportSize(SCREENSHOT_VIEWPORT)
      const watch = watchPage(page)
      const url = `${server.url}${statusPage.path}`

      /**
       * What it says.
       */
      const response = (await page.goto(url))!
      assert.equal(response.status(), statusPage.status)
      assert.equal(await page.title(), `${statusPage.heading} (${statusPage.status})`)
      assert.equal(await page.locator('h1').innerText(), statusPage.heading)
      assert.equal(await page.locator('.status').innerText(), `Error ${statusPage.status}`)
      if (statusPage.detail) {
        assert.equal(await page.locator('.detail').innerText(), statusPage.detail)
      } else {
        assert.equal(await page.locator('.detail').count(), 0)
      }

      const requestId = response.headers()['x-request-id']
      assert.match(requestId, /^\w{16,}$/)
      assert.match(await page.locator('footer').innerText(), /^Reference: \S+\. Quote it/)
      assert.equal(await page.locator('footer code').innerText(), requestId)
      if (statusPage.status >= 500) {
        const text = await page.locator('body').innerText()
        assert.notInclude(text, 'secret_table')
        assert.notInclude(text, 'maintenance')
      }

      /**
       * Nothing but the document itself was requested, and nothing failed.
       */
      assert.deepEqual(watch.requests, [url])
      assert.deepEqual(watch.problems(url, statusPage.status), [])

      /**
       * Readable in both colour schemes, and the dark one is dark.
       */
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme })
        const report = await colourReport(page)
        assert.equal(report.prefersDark, colorScheme === 'dark')
        assert.isAbove(report.texts.length, 4)
        assert.deepEqual(lowContrastTexts(report), [], `low contrast in the ${colorScheme} scheme`)
        if (colorScheme === 'dark') {
          assert.isBelow(report.backgroundLuminance, 0.05)
        } else {
          assert.isAbove(report.backgroundLuminance, 0.9)
        }
      }

      /**
       * The pictures, with a fixed request id so that they are reproducible.
       */
      await page.setExtraHTTPHeaders({ 'x-request-id': SCREENSHOT_REQUEST_ID })
      const pictured = (await page.goto(url))!
      const html = await pictured.text()
      assert.include(html, SCREENSHOT_REQUEST_ID)
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme })
        await checkScreenshot(page, `${statusPage.name}-${colorScheme}.png`, html)
      }
      await page.setExtraHTTPHeaders({})

      /**
       * Usable on a 375 px wide phone: no sideways scrolling, the heading
       * and the way out fully on screen.
       */
      await page.setViewportSize({ width: 375, height: 667 })
      const scrollWidth = await page.locator('html').evaluate((root) => root.scrollWidth)
      assert.isAtMost(scrollWidth, 375)
      for (const selector of ['h1', '.actions a', 'footer code']) {
        const box = (await page.locator(selector).boundingBox())!
        assert.isAtLeast(box.x, 0, selector)
        assert.isAtMost(box.x + box.width, 375, selector)
      }
      const fontSize = await page
        .locator('main p')
        .first()
        .evaluate((element) => (globalThis as any).getComputedStyle(element).fontSize)
      assert.equal(fontSize, '16px')

      /**
       * The link home works.
       */
      await page.getByRole('link', { name: 'Go to the home page' }).click()
      await page.waitForURL(`${server.url}/`)
      assert.equal(await page.locator('h1').count(), 1)
      assert.deepEqual(watch.problems(url, statusPage.status), [])
    })
  }
})
