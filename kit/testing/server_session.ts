import type { AppProcess } from '#kit/testing/app_process'

/**
 * The session cookie name in production.
 */
export const PRODUCTION_SESSION_COOKIE = '__Host-session'

/**
 * The session cookie a response set, as "name=value" (ready for a Cookie
 * header); undefined when it set none.
 */
export function sessionCookieOf(response: Response): string | undefined {
  return response.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith(`${PRODUCTION_SESSION_COOKIE}=`))
    ?.split(';')[0]
}

/**
 * Every cookie a response set, as "name=value" pairs ready for a Cookie
 * header (the login form of a visitor without a session sets only the
 * CSRF cookie).
 */
export function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ')
}

/**
 * The status of a response, once it arrives.
 */
export async function statusOf(request: Promise<Response>): Promise<number> {
  const response = await request
  return response.status
}

/**
 * The first entry of the `errors` of a JSON error body.
 */
export async function firstErrorOf(response: Response): Promise<Record<string, any>> {
  const body: any = await response.json()
  return body.errors[0]
}

/**
 * The HTML of a page, once it arrives.
 */
export async function htmlOf(request: Promise<Response>): Promise<string> {
  const response = await request
  return response.text()
}

/**
 * The CSRF token of the first form of a page.
 */
export function csrfTokenOf(html: string): string {
  const match = html.match(/name='_csrf' value='([^']+)'/)
  if (!match) {
    throw new Error(`No CSRF field in the page:\n${html.slice(0, 500)}`)
  }
  return match[1]
}

/**
 * GET `path` with a session cookie, as an API client (JSON).
 */
export function getJson(server: AppProcess, path: string, cookie: string) {
  return server.fetch(path, { headers: { accept: 'application/json', cookie } })
}

/**
 * GET `path` with a session cookie, as a browser (HTML).
 */
export function getPage(server: AppProcess, path: string, cookie: string) {
  return server.fetch(path, { headers: { accept: 'text/html', cookie } })
}

/**
 * POSTs a form (its CSRF token taken from `formPage` on the same server)
 * with a session cookie.
 */
export async function postForm(
  server: AppProcess,
  path: string,
  cookie: string,
  formPage: string,
  fields: Record<string, string> = {}
) {
  const page = await getPage(server, formPage, cookie)
  const csrf = csrfTokenOf(await page.text())
  return server.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ ...fields, _csrf: csrf }),
  })
}

/**
 * Signs a demo user in: the login form is fetched from `formServer` and
 * submitted to `loginServer` (the same one unless given). Returns the
 * session cookie ("name=value") of the signed-in session.
 */
export async function signIn(
  formServer: AppProcess,
  email: string,
  loginServer: AppProcess = formServer
): Promise<string> {
  const form = await formServer.fetch('/login')
  const anonymous = cookiesOf(form)
  const csrf = csrfTokenOf(await form.text())

  const login = await loginServer.fetch('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'cookie': anonymous },
    body: new URLSearchParams({ email, password: 'password', _csrf: csrf }),
  })
  const cookie = sessionCookieOf(login)
  if (login.status !== 302 || login.headers.get('location') !== '/' || !cookie) {
    throw new Error(`Sign-in of ${email} failed: ${login.status} ${login.headers.get('location')}`)
  }
  return cookie
}
