import type User from '#models/user'
import { Claim } from '#kit/sessions'

/**
 * Whether the user has verified their email address. Checked again at
 * most every 5 minutes.
 */
class EmailVerifiedClaim extends Claim<boolean, User> {
  /**
   * Where a user who fails this claim asks for a new verification link:
   * the 403 page offers it (`onInvalidClaim` in app/exceptions/handler.ts).
   */
  readonly resendPath = '/verify-email/resend'

  constructor() {
    super('email-verified', (user) => user.emailVerifiedAt !== null, 5 * 60_000)
  }

  /**
   * Requires a verified email address. The reasons are those of
   * SuperTokens' `BooleanClaim.validators.isTrue`: "wrong value" with the
   * value, "value does not exist" when none was fetched.
   */
  isTrue() {
    return this.validator('a verified email address', (value) => {
      if (value === undefined) {
        return { message: 'value does not exist', expectedValue: true }
      }
      return value === true
        ? null
        : { message: 'wrong value', expectedValue: true, actualValue: value }
    })
  }
}

export const emailVerified = new EmailVerifiedClaim()
