import { Exception } from '@adonisjs/core/exceptions'

/**
 * A session token that had already been rotated was used again outside
 * the grace window: two parties hold copies of the same session. Raised by
 * the session middleware AFTER every token of that sign-in was revoked and
 * the session emptied, so no custom response can skip those steps.
 *
 * The exception handler answers it in `onTokenTheftDetected` (browsers go
 * to the login page, API clients get a 401 body) and reports it as a
 * security event, once: only for the request that detected the theft
 * (`revokedNow`), with the user and the session family, never a token.
 * Every later request with a token of that family gets the same answer,
 * with `revokedNow` false and no report.
 */
export default class TokenTheftDetectedException extends Exception {
  static status = 401
  static code = 'E_TOKEN_THEFT_DETECTED'
  static message = 'You were signed out to protect your account. Please sign in again.'

  constructor(
    readonly familyId: string,
    readonly userId: number | null,
    readonly revokedNow: boolean
  ) {
    super(TokenTheftDetectedException.message)
  }
}
