import type { Session } from '@adonisjs/session'

/**
 * Why a claim validator failed, as sent to API clients in
 * `claimValidationErrors[].reason`.
 */
export type ClaimFailureReason = { message: string } & Record<string, unknown>

/**
 * A check on a claim value, used in `middleware.auth({ claims: [...] })`.
 */
export type ClaimValidator = {
  /**
   * The id of the claim it checks (sent to API clients as `id`).
   */
  id: string
  claim: Claim<any, any>
  /**
   * What the route needs, in plain words ("a verified email address"),
   * listed on the 403 page.
   */
  requirement: string
  /**
   * Null when the value passes, the reason otherwise.
   */
  validate(value: unknown): ClaimFailureReason | null
}

/**
 * A fact about the signed-in user that routes can require (SuperTokens
 * calls them session claims). The value is fetched from the user, kept in
 * the session with the time it was fetched, and fetched again once it is
 * older than `maxAgeMs`: a change (a new role, say) takes effect within
 * that window.
 */
export class Claim<Value, User = any> {
  constructor(
    readonly id: string,
    /**
     * Reads the value from the signed-in user (the app's user model) and,
     * for a fact about the sign-in rather than the user (a second factor
     * given), from the session.
     */
    readonly fetchValue: (user: User, session: Session) => Value | Promise<Value>,
    readonly maxAgeMs: number
  ) {}

  /**
   * A validator of this claim.
   */
  validator(
    requirement: string,
    validate: (value: Value | undefined) => ClaimFailureReason | null
  ): ClaimValidator {
    return { id: this.id, claim: this, requirement, validate: (value) => validate(value as Value) }
  }
}
