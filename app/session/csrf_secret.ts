import { randomUUID } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import type { Session } from '@adonisjs/session'
import type { RequestSessionStore } from '#session/request_session_store'

/**
 * The session key of shield's CSRF secret. Shield keeps it private
 * (`#secretSessionKey`); see "@adonisjs/shield" in docs/internals.md.
 */
export const CSRF_SECRET_KEY = 'csrf-secret'

/**
 * Gives a session without a CSRF secret one (122 random bits) before shield
 * makes its own: shield calls `randomBytes` asynchronously (through
 * libuv's thread pool) on every request without a session, which cost a
 * tenth of the time of a small request; `randomUUID` draws from a cached
 * batch of random bytes. Dropped again at the end when the response did
 * not need it (see `dropUnusedCsrfSecret`).
 */
export function seedCsrfSecret(session: Session) {
  if (!session.has(CSRF_SECRET_KEY)) {
    session.put(CSRF_SECRET_KEY, randomUUID())
  }
}

/**
 * Shield puts a CSRF secret in the session of every request. A new session
 * whose only value is that secret is not stored when the response does not
 * carry the CSRF token (no `csrfField()`, `csrfMeta()` or `{{ csrfToken }}`
 * in the page, no `request.csrfToken` in a JSON body): cookie-less visits
 * of pages without forms, API calls and error pages (and floods of them)
 * create no session rows and no cookies.
 *
 * A response that sends the token otherwise (streamed, or in a header)
 * keeps its session with `ctx.sessionTokens.markNeeded()`.
 */
export function dropUnusedCsrfSecret(ctx: HttpContext, tokens: RequestSessionStore) {
  if (!tokens.isDisposable) {
    return
  }
  const keys = Object.keys(ctx.session.all())
  if (
    keys.length === 1 &&
    keys[0] === CSRF_SECRET_KEY &&
    ctx.session.responseFlashMessages.isEmpty &&
    !bodyCarries(ctx.response.content?.[0], ctx.request.csrfToken)
  ) {
    ctx.session.forget(CSRF_SECRET_KEY)
  }
}

/**
 * True when a response body (a string, a buffer, or data sent as JSON)
 * contains `text`. Streamed bodies are not read.
 */
export function bodyCarries(body: unknown, text: string | undefined): boolean {
  if (!text || body === null || body === undefined) {
    return false
  }
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    return body.includes(text)
  }
  return typeof body === 'object' && JSON.stringify(body).includes(text)
}
