import type { BrowserContext, Page } from 'playwright'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'

/**
 * The session cookie in production ("__Host-" prefix, Secure).
 */
export const PRODUCTION_SESSION_COOKIE = '__Host-session'

/**
 * The CSRF cookie of a visitor without a session, in production.
 */
export const PRODUCTION_CSRF_COOKIE = '__Host-csrf'

/**
 * The session cookie the browser holds, if any.
 */
export async function sessionCookie(context: BrowserContext) {
  return cookieNamed(context, PRODUCTION_SESSION_COOKIE)
}

/**
 * The cookie of that name the browser holds, if any.
 */
export async function cookieNamed(context: BrowserContext, name: string) {
  const cookies = await context.cookies()
  return cookies.find((cookie) => cookie.name === name)
}

/**
 * Signs a demo user in as a person does: opens the login page, types the
 * email and password, presses "Sign in" and waits for the home page.
 */
export async function signInThroughForm(
  page: Page,
  baseUrl: string,
  email: string,
  password = DEMO_PASSWORD
) {
  await page.goto(`${baseUrl}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${baseUrl}/`)
}

/**
 * The "Signed in as ..." text of the page header (null when signed out).
 */
export async function signedInAs(page: Page) {
  const who = page.locator('header .who')
  return (await who.count()) ? who.innerText() : null
}
