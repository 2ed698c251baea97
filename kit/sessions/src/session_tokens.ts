import type { HttpContext } from '@adonisjs/core/http'
import type { Session } from '@adonisjs/session'
import type { RequestSessionStore } from '#kit/sessions/src/request_session_store'
import { hasCookie } from '#kit/sessions/src/session_cookie'
import TokenTheftDetectedException from '#kit/sessions/src/exceptions/token_theft_detected_exception'
import { ServiceUnavailableException } from '#kit/errors/exceptions'

/**
 * Resolves the token of the request's session cookie in the family store,
 * which rotates it when due, lets its predecessor through within the grace
 * window, and revokes the whole family when a rotated token is reused
 * (theft); with `theftDetection: false` such a token is only refused.
 * The token is judged by when the request arrived (`ctx.arrivedAt`), not
 * by now, when its body has been read.
 */
export function resolveCookieToken(
  ctx: HttpContext,
  tokens: RequestSessionStore,
  cookieName: string
) {
  const cookieWasSent = hasCookie(ctx.request.header('cookie'), cookieName)
  return usingStore(() =>
    tokens.resolve(ctx.request.cookie(cookieName), cookieWasSent, ctx.arrivedAt)
  )
}

/**
 * Raises E_TOKEN_THEFT_DETECTED for a stolen token. The family store has
 * already revoked the family; the session middleware then stores no new
 * session and clears the cookie (see `isStolenToken`).
 */
export function refuseStolenToken(tokens: RequestSessionStore) {
  const resolved = tokens.resolved
  if (resolved.kind === 'theft') {
    throw new TokenTheftDetectedException(
      resolved.familyId,
      resolved.userId === null ? null : Number(resolved.userId),
      resolved.revokedNow
    )
  }
}

/**
 * True for a request whose token was stolen: its response clears the
 * session cookie and starts no session, as SuperTokens does.
 */
export function isStolenToken(tokens: RequestSessionStore) {
  return tokens.resolved.kind === 'theft'
}

/**
 * True for a request that came without a session cookie and leaves its
 * new session empty: committing it would store nothing and only sign a
 * cookie that the response then drops, and there is no cookie to set or
 * clear.
 */
export function isUnusedNewSession(session: Session, tokens: RequestSessionStore) {
  return tokens.resolved.kind === 'none' && session.isEmpty && session.responseFlashMessages.isEmpty
}

/**
 * True for a signed-in (or stored) session that the request left as it
 * found it: no value or flash message changed, and its token and deadlines
 * stay. Committing it would write nothing, and would only sign the cookie
 * again to send it unchanged; its expiry (`age`, the idle timeout) is
 * renewed when the store moves the idle deadline, at most once a minute.
 */
export function isUnchangedSession(session: Session, tokens: RequestSessionStore) {
  return tokens.isSettled && !session.hasBeenModified && session.responseFlashMessages.isEmpty
}

/**
 * Runs an operation on the session store. An error saying the store
 * cannot be reached becomes E_SERVICE_UNAVAILABLE; any other is raised
 * as it is.
 */
export async function usingStore<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    throw ServiceUnavailableException.fromStoreError(error) ?? error
  }
}
