import type { ApiClient, ApiResponse } from '@japa/api-client'
import type { FakeMailer } from '@adonisjs/mail'
import app from '@adonisjs/core/services/app'
import { AfterResponseTasks } from '#kit/runtime/src/after_response_tasks'
import { SESSION_COOKIE, csrfTokenOf } from '#kit/testing'
import VerifyEmailNotification from '#mails/verify_email_notification'
import ResetPasswordNotification from '#mails/reset_password_notification'

/**
 * The cookies a browser holds: each as the server set it (`raw`, sent back
 * as is in a Cookie header, whatever its signing or encryption) and as the
 * app reads it (`parsed`).
 */
export type CookieJar = { raw: Record<string, string>; parsed: Record<string, any> }

/**
 * An empty jar.
 */
export function emptyJar(): CookieJar {
  return { raw: {}, parsed: {} }
}

/**
 * Keeps every cookie a response set (a cleared one is dropped).
 */
export function keepCookies(jar: CookieJar, response: ApiResponse): CookieJar {
  const next = { raw: { ...jar.raw }, parsed: { ...jar.parsed } }
  const parsed = response.cookies()
  const header = response.header('set-cookie') as string | string[] | undefined
  for (const line of [header ?? []].flat()) {
    const [pair, ...attributes] = line.split(';')
    const name = pair.slice(0, pair.indexOf('='))
    const value = pair.slice(pair.indexOf('=') + 1)
    const cleared = attributes.some((attribute) => /^\s*max-age=0$/i.test(attribute))
    if (value === '' || cleared) {
      delete next.raw[name]
      delete next.parsed[name]
    } else {
      next.raw[name] = value
      next.parsed[name] = parsed[name]?.value
    }
  }
  return next
}

/**
 * The Cookie header of a jar.
 */
function cookieHeader(jar: CookieJar): string {
  return Object.entries(jar.raw)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ')
}

/**
 * GETs `path` as a browser with the jar's cookies.
 */
export async function visit(client: ApiClient, path: string, jar: CookieJar = emptyJar()) {
  const request = client.get(path).accepting('html').redirects(0)
  if (Object.keys(jar.raw).length) {
    request.header('cookie', cookieHeader(jar))
  }
  const response = await request
  return { response, jar: keepCookies(jar, response) }
}

/**
 * A form page a browser opened: its CSRF token and the cookies it holds.
 */
export type OpenedForm = { csrfToken: string; jar: CookieJar }

/**
 * GETs the form of `page` as a browser, for its CSRF token and cookies.
 */
export async function openForm(
  client: ApiClient,
  page: string,
  jar: CookieJar = emptyJar()
): Promise<OpenedForm> {
  const form = await visit(client, page, jar)
  return { csrfToken: csrfTokenOf(form.response.text()), jar: form.jar }
}

/**
 * POSTs `fields` to `action` from an opened form, as a browser (HTML form
 * fields) or, with `accept: 'application/json'`, as an API client (a JSON
 * body, the CSRF token in its header).
 */
export async function postForm(
  client: ApiClient,
  action: string,
  fields: Record<string, string>,
  form: OpenedForm,
  accept: 'text/html' | 'application/json' = 'text/html'
) {
  const request = client.post(action).header('accept', accept).redirects(0)
  if (accept === 'text/html') {
    request.form({ ...fields, _csrf: form.csrfToken })
  } else {
    request.header('x-csrf-token', form.csrfToken).json(fields)
  }
  if (Object.keys(form.jar.raw).length) {
    request.header('cookie', cookieHeader(form.jar))
  }
  const response = await request
  return { response, jar: keepCookies(form.jar, response) }
}

/**
 * `count` browsers, each with the form of `page` open (to post them at
 * once).
 */
export function openForms(client: ApiClient, page: string, count: number) {
  return Promise.all(Array.from({ length: count }, () => openForm(client, page)))
}

/**
 * The HTML of the page a posted form redirected to (with its flashed
 * messages).
 */
export async function landingPage(
  client: ApiClient,
  posted: { response: ApiResponse; jar: CookieJar }
) {
  const page = await visit(client, posted.response.header('location')!, posted.jar)
  return page.response.text()
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
  jar: CookieJar = emptyJar()
) {
  return postForm(client, action, fields, await openForm(client, page, jar))
}

/**
 * The session token of a jar (as the app reads the cookie).
 */
export function sessionTokenOf(jar: CookieJar): string | undefined {
  return jar.parsed[SESSION_COOKIE]
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

/**
 * Resolves once the work the app left to run after its responses
 * (mailing a reset link) has ended.
 */
export async function afterResponses() {
  const tasks = await app.container.make(AfterResponseTasks)
  await tasks.settled()
}
