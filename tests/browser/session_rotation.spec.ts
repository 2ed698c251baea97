import { setTimeout as sleep } from 'node:timers/promises'
import { test } from '@japa/runner'
import type { Page } from 'playwright'
import { AppProcess } from '#kit/testing'
import { watchPage } from '#tests/helpers/page_watch'
import { sessionCookie, signInThroughForm, signedInAs } from '#tests/helpers/browser_sign_in'

const THEFT_NOTICE = 'You were signed out to protect your account. Please sign in again.'

/**
 * Sends `count` requests to /api/me at once from the page, as a script
 * would, and returns their statuses.
 */
function parallelFetches(page: Page, count: number): Promise<number[]> {
  return page.evaluate(
    (n) =>
      Promise.all(
        Array.from({ length: n }, () => fetch('/api/me').then((response) => response.status))
      ),
    count
  )
}

test.group('Session rotation in Chromium (production)', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start({
      SESSION_ROTATION_INTERVAL: '3s',
      SESSION_ROTATION_GRACE: '2s',
    })
    return async () => {
      await server.stop()
    }
  })

  test('the cookie changes and the user stays signed in across navigations and parallel fetches', async ({
    assert,
    browserContext,
  }) => {
    const page = await browserContext.newPage()
    await signInThroughForm(page, server.url, 'demo@example.com')
    const watch = watchPage(page)
    const tokens = new Set([(await sessionCookie(browserContext))!.value])
    const paths = ['/dashboard', '/sessions', '/']

    /**
     * Browse until the token has rotated three times (at least a dozen
     * pages), bounded.
     */
    const deadline = Date.now() + 45_000
    let navigations = 0
    while (tokens.size < 4 || navigations < 12) {
      assert.isBelow(Date.now(), deadline, `only ${tokens.size - 1} rotations`)
      const path = paths[navigations++ % paths.length]

      const response = (await page.goto(`${server.url}${path}`))!
      assert.equal(response.status(), 200, path)
      assert.equal(page.url(), `${server.url}${path}`)
      assert.equal(await signedInAs(page), 'Signed in as demo@example.com')

      assert.deepEqual(await parallelFetches(page, 8), Array(8).fill(200))
      tokens.add((await sessionCookie(browserContext))!.value)
    }

    assert.deepEqual(watch.allProblems, [])
    assert.notInclude(server.output, 'session.theft_detected')
  })
})

test.group('Session theft in Chromium (production)', (group) => {
  let server: AppProcess
  const graceMs = 1000
  group.setup(async () => {
    server = await AppProcess.start({
      SESSION_ROTATION_INTERVAL: '2s',
      SESSION_ROTATION_GRACE: `${graceMs / 1000}s`,
    })
    return async () => {
      await server.stop()
    }
  })

  test('a copied cookie used after the grace window signs both browsers out', async ({
    assert,
    browser,
    browserContext,
    cleanup,
  }) => {
    const victim = await browserContext.newPage()
    await signInThroughForm(victim, server.url, 'demo@example.com')
    const copied = (await sessionCookie(browserContext))!

    /**
     * A second browser gets a copy of the cookie.
     */
    const thiefContext = await browser.newContext()
    cleanup(() => thiefContext.close())
    await thiefContext.addCookies([copied])
    const thief = await thiefContext.newPage()

    /**
     * The first browser keeps browsing until its token rotates.
     */
    const deadline = Date.now() + 10_000
    while ((await sessionCookie(browserContext))!.value === copied.value) {
      assert.isBelow(Date.now(), deadline, 'the token never rotated')
      await victim.goto(`${server.url}/dashboard`)
      assert.equal(await signedInAs(victim), 'Signed in as demo@example.com')
    }

    /**
     * Time passes beyond the grace window: the copy is stale.
     */
    await sleep(graceMs + 250)

    await thief.goto(`${server.url}/dashboard`)
    await thief.waitForURL(`${server.url}/login?next=%2Fdashboard&reason=theft`)
    assert.equal(await thief.locator('.notice').innerText(), THEFT_NOTICE)
    assert.isNull(await signedInAs(thief))

    await victim.goto(`${server.url}/dashboard`)
    await victim.waitForURL(`${server.url}/login?next=%2Fdashboard&reason=theft`)
    assert.equal(await victim.locator('.notice').innerText(), THEFT_NOTICE)
    assert.isNull(await signedInAs(victim))

    await server.waitForOutput(/session\.theft_detected/)
  })
})
