/**
 * Sends one request to a server (a path and fetch options) and returns
 * its response, redirects not followed: `testServer`, an `AppProcess`'s
 * `fetch`, a `Visitor`'s `fetch` or `sendTo(baseUrl)`.
 */
export type Send = (path: string, init?: RequestInit) => Promise<Response>

/**
 * Requests to a server at `baseUrl`, not following redirects.
 */
export function sendTo(baseUrl: string): Send {
  return (path, init = {}) => fetch(`${baseUrl}${path}`, { redirect: 'manual', ...init })
}

/**
 * The session cookie name outside production.
 */
export const SESSION_COOKIE = 'adonis-session'

/**
 * The session cookie name in production.
 */
export const PRODUCTION_SESSION_COOKIE = '__Host-session'

/**
 * The CSRF cookie of visitors without a session, outside production.
 */
export const CSRF_COOKIE = 'adonis-csrf'

/**
 * The password of the demo users ("database/seeders/demo_users_seeder.ts").
 */
export const DEMO_PASSWORD = 'password'

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
 * The session cookie (either name) a response set, as "name=value";
 * undefined when it set none.
 */
export function sessionCookieOf(response: Response): string | undefined {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .find(
      (pair) =>
        pair.startsWith(`${SESSION_COOKIE}=`) || pair.startsWith(`${PRODUCTION_SESSION_COOKIE}=`)
    )
}

/**
 * The value the app wrote into a cookie ("name=value" as the response set
 * it): URL-decoded and, for a signed cookie ("s:" + base64url JSON of
 * `{ message }` + "." + signature), its message. The session cookie is
 * signed; `.as(token)` on the API client signs the token again.
 */
export function cookieValueOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1))
  if (!value.startsWith('s:')) {
    return value
  }
  const payload = value.slice(2, value.lastIndexOf('.'))
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).message
}

/**
 * A signed-in session: its token (the cookie's value, for
 * `.as(token)` on the API client) and its cookie as "name=value" (for a
 * Cookie header); `csrf` is the token of the login form that was used,
 * `response` the answer to the login POST.
 */
export type SignedIn = { token: string; cookie: string; csrf: string; response: Response }

/**
 * A server to send requests to: a `Send`, or anything with a `fetch`
 * that is one (an `AppProcess`).
 */
export type Server = Send | { fetch: Send }

const sendOf = (server: Server): Send => (typeof server === 'function' ? server : server.fetch)

/**
 * Signs a user (a demo user unless `password` is given) in through the
 * real login form, CSRF token included: the form is fetched from
 * `server` and submitted to `options.login` (the same server unless
 * given).
 */
export async function signIn(
  server: Server,
  email: string,
  options: { password?: string; login?: Server } = {}
): Promise<SignedIn> {
  const form = await sendOf(server)('/login')
  const anonymous = cookiesOf(form)
  const csrf = csrfTokenOf(await form.text())

  const login = await sendOf(options.login ?? server)('/login', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(anonymous ? { cookie: anonymous } : {}),
    },
    body: new URLSearchParams({ email, password: options.password ?? DEMO_PASSWORD, _csrf: csrf }),
  })
  const cookie = sessionCookieOf(login)
  if (login.status !== 302 || login.headers.get('location') !== '/' || !cookie) {
    throw new Error(`Sign-in of ${email} failed: ${login.status} ${login.headers.get('location')}`)
  }
  return { token: cookieValueOf(cookie), cookie, csrf, response: login }
}
