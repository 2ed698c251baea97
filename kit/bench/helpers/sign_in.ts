/**
 * The password of the demo users ("database/seeders/demo_users_seeder.ts").
 */
const DEMO_PASSWORD = 'password'

/**
 * The session cookie name in production.
 */
export const SESSION_COOKIE = '__Host-session'

/**
 * The session cookie of a list of Set-Cookie headers, as "name=value";
 * undefined when there is none.
 */
export function sessionCookieIn(setCookies: string[]): string | undefined {
  return setCookies.find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))?.split(';')[0]
}

/**
 * Signs a demo user in through the login form (CSRF token included) and
 * returns the signed-in session cookie ("name=value").
 */
export async function signIn(baseUrl: string, email: string): Promise<string> {
  const form = await fetch(`${baseUrl}/login`, { redirect: 'manual' })
  // The CSRF cookie (no session is stored for the form): every cookie is sent back
  const anonymous = form.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ')
  const html = await form.text()
  const csrf = html.match(/name='_csrf' value='([^']+)'/)?.[1]
  if (!anonymous || !csrf) {
    throw new Error(`GET /login gave no cookie or CSRF field (${form.status})`)
  }

  const login = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'cookie': anonymous },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, _csrf: csrf }),
  })
  const cookie = sessionCookieIn(login.headers.getSetCookie())
  if (login.status !== 302 || !cookie) {
    throw new Error(`Sign-in of ${email} failed with ${login.status}`)
  }
  return cookie
}
