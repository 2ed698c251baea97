import type { HttpResponse } from '@adonisjs/core/http'

/**
 * Marks a response that no cache (browser, proxy, CDN) may keep:
 * `Cache-Control: no-store`. For every response that depends on who is
 * signed in (pages and JSON alike, their 401, 403 and redirects too) and
 * every response that sets the session cookie: a cached copy would show
 * one user's page, or hand one user's cookie, to the next.
 */
export function noStore(response: HttpResponse) {
  response.header('cache-control', 'no-store')
}
