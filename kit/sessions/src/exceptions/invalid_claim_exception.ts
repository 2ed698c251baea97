import { Exception } from '@adonisjs/core/exceptions'
import type { ClaimFailureReason } from '#kit/sessions/src/claims/claim'

/**
 * One failed claim validator.
 */
export type ClaimFailure = { id: string; requirement: string; reason: ClaimFailureReason }

/**
 * The signed-in user does not meet the route's claim validators (not an
 * admin, email not verified...). Nothing is cleared.
 *
 * The exception handler answers it in `onInvalidClaim`: browsers get the
 * 403 page listing the unmet requirements in plain words; API clients get
 * `claimValidationErrors: [{ id, reason }]`.
 */
export default class InvalidClaimException extends Exception {
  static status = 403
  static code = 'E_INVALID_CLAIM'

  constructor(readonly failures: ClaimFailure[]) {
    super('You do not meet the requirements of this page.')
  }
}
