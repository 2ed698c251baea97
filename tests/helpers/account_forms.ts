import type { ApiClient, ApiResponse } from '@japa/api-client'
import type { FakeMailer } from '@adonisjs/mail'
import { SESSION_COOKIE, csrfTokenOf } from '#tests/helpers/browser_session'
import VerifyEmailNotification from '#mails/verify_email_notification'
import ResetPasswordNotification from '#mails/reset_password_notification'

/**
 * The cookies a browser holds: name to value.
 */
export type CookieJar = Record<string, string>

/**
 * Keeps every cookie a response set (a cleared one is dropped).
 */
export function keepCookies(jar: CookieJar, response: ApiResponse): CookieJar {
  const next = { ...jar }
  for (const [name, cookie] of Object.entries(response.cookies())) {
    if (cookie.value === '' || cookie.maxAge === 0) {
      delete next[name]
    } else {
      next[name] = cookie.value
    }
  }
  return next
}

/**
 * GETs `path` as a browser with the jar's cookies.
 */
export async function visit(client: ApiClient, path: string, jar: CookieJar = {}) {
  const response = await client.get(path).header('accept', 'text/html').cookies(jar).redirects(0)
  return { response, jar: keepCookies(jar, response) }
}

/**
 * Submits the form of `page` as a browser: GETs the page (for its CSRF
 * token and cookies), then POSTs `fields` to `action` with both.
 */
export async function submitForm(
  client: ApiClient,
  page: string,
  action: string,
  fields: Record<string, string>,
  jar: CookieJar = {}
) {
  const form = await visit(client, page, jar)
  const response = await client
    .post(action)
    .header('accept', 'text/html')
    .form({ ...fields, _csrf: csrfTokenOf(form.response.text()) })
    .cookies(form.jar)
    .redirects(0)
  return { response, jar: keepCookies(form.jar, response) }
}

/**
 * The session token of a jar.
 */
export function sessionTokenOf(jar: CookieJar): string | undefined {
  return jar[SESSION_COOKIE]
}

/**
 * The path (and query) of an absolute link from a mail.
 */
export function pathOf(link: string): string {
  const url = new URL(link)
  return url.pathname + url.search
}

/**
 * The verification links the fake mailer sent to `email`.
 */
export function verificationLinksSentTo(mails: FakeMailer, email: string): string[] {
  return mails.mails
    .sent((mail) => mail instanceof VerifyEmailNotification && mail.email === email)
    .map((mail) => (mail as VerifyEmailNotification).url)
}

/**
 * The password reset links the fake mailer sent to `email`.
 */
export function resetLinksSentTo(mails: FakeMailer, email: string): string[] {
  return mails.mails
    .sent((mail) => mail instanceof ResetPasswordNotification && mail.email === email)
    .map((mail) => (mail as ResetPasswordNotification).url)
}
