import type { ApiClient, ApiRequest, ApiResponse } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'

/**
 * The session cookie name outside production.
 */
export const SESSION_COOKIE = 'adonis-session'

/**
 * The CSRF cookie of visitors without a session, outside production.
 */
export const CSRF_COOKIE = 'adonis-csrf'

/**
 * The CSRF token of the form a page rendered.
 */
export function csrfTokenOf(html: string): string {
  const match = html.match(/name='_csrf' value='([^']+)'/)
  if (!match) {
    throw new Error('The page has no CSRF field')
  }
  return match[1]
}

/**
 * Sends back with a request the cookies a form page set, as a browser
 * would: the (encrypted) CSRF cookie of a visitor without a session, and
 * the session cookie when the page has a session.
 */
export function withFormCookies(request: ApiRequest, form: ApiResponse): ApiRequest {
  const session = form.cookie(SESSION_COOKIE)?.value
  const csrf = form.cookie(CSRF_COOKIE)?.value
  if (session) {
    request.withCookie(SESSION_COOKIE, session)
  }
  if (csrf) {
    request.withEncryptedCookie(CSRF_COOKIE, csrf)
  }
  return request
}

/**
 * Signs a demo user in through the real login form (CSRF token included)
 * and returns the session token the cookie now carries.
 */
export async function signIn(client: ApiClient, email: string): Promise<string> {
  const form = await client.get('/login')
  const csrf = csrfTokenOf(form.text())

  const login = await withFormCookies(
    client.post('/login').form({ email, password: DEMO_PASSWORD, _csrf: csrf }).redirects(0),
    form
  )

  const token = login.cookie(SESSION_COOKIE)?.value
  if (login.status() !== 302 || !token) {
    throw new Error(`Sign-in of ${email} failed with ${login.status()}`)
  }
  return token
}

/**
 * Signs in, rotates the token and lets the grace window pass (by moving
 * the rows' times back): the first token is now a stolen copy, and using
 * it is a theft.
 */
export async function stolenToken(client: ApiClient): Promise<string> {
  const first = await signIn(client, 'demo@example.com')
  await db.rawQuery('UPDATE sessions SET created_at = created_at - 960000')
  await client.get('/api/me').withCookie(SESSION_COOKIE, first)
  await db.rawQuery(
    'UPDATE sessions SET rotated_at = rotated_at - 31000 WHERE rotated_at IS NOT NULL'
  )
  return first
}
