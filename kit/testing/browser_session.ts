import type { ApiClient, ApiRequest, ApiResponse } from '@japa/api-client'
import db from '@adonisjs/lucid/services/db'
import { CSRF_COOKIE, SESSION_COOKIE, signIn } from '#kit/testing/sign_in'
import { testServer } from '#kit/testing/visitor'

/**
 * Sends back with a request the cookies a form page set, as a browser
 * would: the (encrypted) CSRF cookie of a visitor without a session, and
 * the session cookie when the page has a session.
 */
export function withFormCookies(request: ApiRequest, form: ApiResponse): ApiRequest {
  const session = form.cookie(SESSION_COOKIE)?.value
  const csrf = form.cookie(CSRF_COOKIE)?.value
  if (session) {
    request.as(session)
  }
  if (csrf) {
    request.withEncryptedCookie(CSRF_COOKIE, csrf)
  }
  return request
}

/**
 * Signs in, rotates the token and lets the grace window pass (by moving
 * the rows' times back): the first token is now a stolen copy, and using
 * it is a theft.
 */
export async function stolenToken(client: ApiClient): Promise<string> {
  const { token: first } = await signIn(testServer, 'demo@example.com')
  await db.rawQuery('UPDATE sessions SET created_at = created_at - 960000')
  await client.get('/api/me').as(first)
  await db.rawQuery(
    'UPDATE sessions SET rotated_at = rotated_at - 31000 WHERE rotated_at IS NOT NULL'
  )
  return first
}
