import { randomUUID } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import type { CookieOptions } from '@adonisjs/core/types/http'
import type { Session } from '@adonisjs/session'
import type { RequestSessionStore } from '#kit/sessions/src/request_session_store'
import { hasCookie } from '#kit/sessions/src/session_cookie'
import { noStore } from '#kit/security'

/**
 * The session key of shield's CSRF secret. Shield keeps it private
 * (`#secretSessionKey`); see "@adonisjs/shield" in docs/internals.md.
 */
export const CSRF_SECRET_KEY = 'csrf-secret'

/**
 * The cookie that carries the CSRF secret of a visitor without a stored
 * session (see `settleCsrfSecret`): its name, and the session cookie's
 * options.
 */
export type CsrfCookie = { name: string; options: Partial<CookieOptions> }

/**
 * Gives the session its CSRF secret before shield looks for one: the
 * secret of the CSRF cookie when the request has no stored session (a
 * form rendered for a visitor without one), else a new one (122 random
 * bits). Shield would make its own with `randomBytes` called
 * asynchronously (through libuv's thread pool), which cost a tenth of the
 * time of a small request; `randomUUID` draws from a cached batch of
 * random bytes. A forged or foreign cookie does not decrypt and counts as
 * none.
 */
export function seedCsrfSecret(ctx: HttpContext, tokens: RequestSessionStore, cookie: CsrfCookie) {
  if (ctx.session.has(CSRF_SECRET_KEY)) {
    return
  }
  const fromCookie = tokens.isDisposable ? ctx.request.encryptedCookie(cookie.name) : undefined
  ctx.session.put(
    CSRF_SECRET_KEY,
    typeof fromCookie === 'string' && fromCookie ? fromCookie : randomUUID()
  )
}

/**
 * Gives the session a new CSRF secret: a token minted before is refused
 * after it. For a privilege change other than a sign-in (see
 * `privilegeChanged`); as with a sign-in, the response should redirect.
 */
export function renewCsrfSecret(session: Session) {
  session.put(CSRF_SECRET_KEY, randomUUID())
}

/**
 * Gives the session a new CSRF secret when the request signed a user in or
 * out (or switched users): a token minted before is refused after it.
 * `userIdBefore` is the session's user id when the request began.
 *
 * The token of the current request was made from the old secret: a
 * response that signs in or out should redirect (as the kit's controllers
 * do), not render a form.
 */
export function renewCsrfSecretOnSignInOrOut(
  session: Session,
  userIdKey: string,
  userIdBefore: unknown
) {
  if (session.get(userIdKey) !== userIdBefore) {
    renewCsrfSecret(session)
  }
}

/**
 * Decides where the CSRF secret lives after the request, so that a visit
 * that only renders a form stores nothing on the server:
 *
 * - a request without a stored session whose session holds nothing but
 *   the secret (no flash messages either) stores no session: the secret
 *   goes in the encrypted CSRF cookie when the response carries the token
 *   (`csrfField()`, `csrfMeta()`, `{{ csrfToken }}`, `request.csrfToken`
 *   in a JSON body; `ctx.sessionTokens.keepCsrfSecret()` for one sent
 *   another way), and nowhere otherwise (API calls, error pages);
 * - a session that is stored keeps the secret, and a CSRF cookie the
 *   request sent is cleared.
 *
 * A response that sets or clears the CSRF cookie is never cached, as one
 * that sets the session cookie.
 */
export function settleCsrfSecret(
  ctx: HttpContext,
  tokens: RequestSessionStore,
  cookie: CsrfCookie
) {
  const { session, request, response } = ctx
  const keys = Object.keys(session.all())
  const onlyTheSecret =
    keys.length === 1 && keys[0] === CSRF_SECRET_KEY && session.responseFlashMessages.isEmpty

  if (tokens.isDisposable && onlyTheSecret) {
    const secret = session.get(CSRF_SECRET_KEY)
    session.forget(CSRF_SECRET_KEY)
    if (tokens.csrfSecretKept || bodyCarries(response.content?.[0], request.csrfToken)) {
      response.encryptedCookie(cookie.name, secret, cookie.options)
      noStore(response)
    }
    return
  }

  if (hasCookie(request.header('cookie'), cookie.name)) {
    response.clearCookie(cookie.name, cookie.options)
    noStore(response)
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
