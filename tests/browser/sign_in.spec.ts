import { test } from '@japa/runner'
import { AppProcess } from '#kit/testing'
import { watchPage } from '#tests/helpers/page_watch'
import {
  PRODUCTION_CSRF_COOKIE,
  PRODUCTION_SESSION_COOKIE,
  cookieNamed,
  sessionCookie,
  signInThroughForm,
  signedInAs,
} from '#tests/helpers/browser_sign_in'

test.group('Signing in in Chromium (production)', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start()
    return async () => {
      await server.stop()
    }
  })

  test('sign in through the form, reach the dashboard, sign out', async ({
    assert,
    browserContext,
  }) => {
    const page = await browserContext.newPage()
    const watch = watchPage(page)

    /**
     * The form carries a CSRF token, and the browser keeps the CSRF
     * cookie it belongs to (Secure, "__Host-", over plain http on the
     * loopback address); no session is stored for the visit.
     */
    await page.goto(`${server.url}/login`)
    const csrf = await page.locator('form input[name="_csrf"]').inputValue()
    assert.isAbove(csrf.length, 20)
    assert.isUndefined(await sessionCookie(browserContext))
    const anonymous = (await cookieNamed(browserContext, PRODUCTION_CSRF_COOKIE))!
    assert.include(anonymous, {
      name: PRODUCTION_CSRF_COOKIE,
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
    })

    await page.getByLabel('Email').fill('demo@example.com')
    await page.getByLabel('Password').fill('password')
    const [post] = await Promise.all([
      page.waitForRequest((request) => request.method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ])
    assert.equal(new URLSearchParams(post.postData()!).get('_csrf'), csrf)
    await page.waitForURL(`${server.url}/`)
    assert.equal(await signedInAs(page), 'Signed in as demo@example.com')

    const signedIn = (await sessionCookie(browserContext))!
    assert.include(signedIn, {
      name: PRODUCTION_SESSION_COOKIE,
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
    })
    assert.isUndefined(
      await cookieNamed(browserContext, PRODUCTION_CSRF_COOKIE),
      'the CSRF secret moved into the session'
    )

    await page.getByRole('link', { name: 'Dashboard' }).click()
    await page.waitForURL(`${server.url}/dashboard`)
    assert.equal(await page.locator('h1').innerText(), 'Dashboard')
    assert.equal(await page.locator('main p').first().innerText(), 'Welcome, demo@example.com.')

    /**
     * Signing out ends the session: the dashboard sends the browser back
     * to the login page.
     */
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${server.url}/login`)
    assert.equal(await page.locator('.notice').innerText(), 'You have been signed out.')
    assert.isNull(await signedInAs(page))

    await page.goto(`${server.url}/dashboard`)
    await page.waitForURL(`${server.url}/login?next=%2Fdashboard`)
    assert.equal(await page.locator('.notice').innerText(), 'Please sign in to continue.')

    assert.deepEqual(watch.allProblems, [])
    assert.deepEqual(
      watch.requests.filter((url) => !url.startsWith(`${server.url}/`)),
      [],
      'every request goes to the app'
    )
  })

  test('/admin as a non-admin shows the 403 page naming the missing requirement', async ({
    assert,
    browserContext,
  }) => {
    const page = await browserContext.newPage()
    await signInThroughForm(page, server.url, 'demo@example.com')
    const watch = watchPage(page)

    const response = (await page.goto(`${server.url}/admin`))!

    assert.equal(response.status(), 403)
    assert.equal(await page.title(), 'Access denied (403)')
    assert.equal(await page.locator('h1').innerText(), 'Access denied')
    assert.deepEqual(await page.locator('main li').allInnerTexts(), ['the "admin" role'])
    assert.deepEqual(watch.requests, [`${server.url}/admin`])
    assert.deepEqual(watch.problems(`${server.url}/admin`, 403), [])

    /**
     * Still signed in: the link home leads back into the app.
     */
    await page.getByRole('link', { name: 'Go to the home page' }).click()
    await page.waitForURL(`${server.url}/`)
    assert.equal(await signedInAs(page), 'Signed in as demo@example.com')
  })

  test('/admin as an admin shows the admin page', async ({ assert, browserContext }) => {
    const page = await browserContext.newPage()
    await signInThroughForm(page, server.url, 'admin@example.com')

    const response = (await page.goto(`${server.url}/admin`))!

    assert.equal(response.status(), 200)
    assert.equal(await page.locator('h1').innerText(), 'Admin')
  })

  test('a validation error shows the field message and keeps the email typed', async ({
    assert,
    browserContext,
  }) => {
    const page = await browserContext.newPage()
    const watch = watchPage(page)
    await page.goto(`${server.url}/login`)

    await page.getByLabel('Email').fill('demo@example')
    await page.getByLabel('Password').fill('')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.locator('#email-error').waitFor()
    assert.equal(page.url(), `${server.url}/login`)

    const email = page.getByLabel('Email')
    assert.equal(await email.inputValue(), 'demo@example')
    assert.equal(await email.getAttribute('aria-invalid'), 'true')
    assert.equal(
      await page.locator('#email-error').innerText(),
      'The email field must be a valid email address'
    )
    assert.equal(
      await page.locator('#password-error').innerText(),
      'The password field must be defined'
    )
    assert.equal(await page.getByLabel('Password').inputValue(), '')
    assert.isNull(await signedInAs(page))
    assert.deepEqual(watch.allProblems, [])
  })

  test('a wrong password shows one message for both fields and keeps the email', async ({
    assert,
    browserContext,
  }) => {
    const page = await browserContext.newPage()
    await page.goto(`${server.url}/login`)

    await page.getByLabel('Email').fill('demo@example.com')
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').waitFor()
    assert.equal(page.url(), `${server.url}/login`)
    assert.equal(await page.getByRole('alert').innerText(), 'Invalid user credentials')

    assert.equal(await page.getByLabel('Email').inputValue(), 'demo@example.com')
    assert.equal(await page.getByLabel('Password').inputValue(), '')
    assert.isNull(await signedInAs(page))
  })
})
