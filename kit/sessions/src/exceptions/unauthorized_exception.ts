import { Exception } from '@adonisjs/core/exceptions'

/**
 * Why a request was not signed in.
 */
export type UnauthorizedReason = 'missing' | 'expired' | 'revoked' | 'invalid'

/**
 * What the user is told, by reason.
 */
export const UNAUTHORIZED_MESSAGES: Record<UnauthorizedReason, string> = {
  missing: 'Please sign in to continue.',
  expired: 'Your session has expired. Please sign in again.',
  revoked: 'Your session has ended. Please sign in again.',
  invalid: 'Please sign in to continue.',
}

/**
 * A protected route was requested without a valid signed-in session (none,
 * expired, revoked or tampered). Raised by the auth middleware after it
 * cleared the session's auth state.
 *
 * The exception handler answers it in `onUnauthorized`: browsers are sent
 * to the login page (with a flash message when their session expired or
 * was revoked); API clients get a 401 body in their format, with the
 * `reason`.
 */
export default class UnauthorizedException extends Exception {
  static status = 401
  static code = 'E_UNAUTHORIZED'

  constructor(readonly reason: UnauthorizedReason = 'missing') {
    super(UNAUTHORIZED_MESSAGES[reason])
  }
}
