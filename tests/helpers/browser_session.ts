import type { ApiClient } from '@japa/api-client'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'

/**
 * The session cookie name outside production.
 */
export const SESSION_COOKIE = 'adonis-session'

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
 * Signs a demo user in through the real login form (CSRF token included)
 * and returns the session token the cookie now carries.
 */
export async function signIn(client: ApiClient, email: string): Promise<string> {
  const form = await client.get('/login')
  const csrf = csrfTokenOf(form.text())
  const formToken = form.cookie(SESSION_COOKIE)!.value

  const login = await client
    .post('/login')
    .form({ email, password: DEMO_PASSWORD, _csrf: csrf })
    .withCookie(SESSION_COOKIE, formToken)
    .redirects(0)

  const token = login.cookie(SESSION_COOKIE)?.value
  if (login.status() !== 302 || !token) {
    throw new Error(`Sign-in of ${email} failed with ${login.status()}`)
  }
  return token
}
