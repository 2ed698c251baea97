import { Claim } from '#kit/sessions/src/claims/claim'
import { authProofOf } from '#kit/sessions/src/sign_in_record'

/**
 * Whether the session proved who is using it (a password, a code, a
 * passkey: `recordAuthProof`) within the last `windowMs`: the step-up
 * that account changes ask for, so that a session left open, or a copied
 * cookie, cannot change the password or turn a second factor off.
 *
 * The value is the time of the last proof (ms since the epoch), null
 * without one; it is read from the session, so whoever records a proof
 * refreshes the claim (`refreshClaim`) in the same request.
 */
export class RecentAuthClaim extends Claim<number | null> {
  constructor(
    /**
     * How long a proof counts.
     */
    readonly windowMs: number,
    id = 'recent-auth',
    /**
     * The clock the proof's age is read with (ms since the epoch). The
     * default reads `Date.now` at each call, so a test that moves the
     * global clock moves this one too.
     */
    readonly now: () => number = () => Date.now()
  ) {
    super(id, (_user, session) => authProofOf(session)?.at ?? null, Math.min(60_000, windowMs))
  }

  /**
   * Requires a proof within the window. The reasons are those of
   * SuperTokens' `PrimitiveClaim.validators.hasValue` with a
   * `maxAgeInSeconds`: "expired" with the proof's age, "value does not
   * exist" without a proof.
   */
  recent() {
    const maxAgeInSeconds = Math.floor(this.windowMs / 1000)
    return this.validator('a confirmation that it is you, in the last minutes', (value) => {
      if (typeof value !== 'number') {
        return { message: 'value does not exist', maxAgeInSeconds }
      }
      const ageMs = this.now() - value
      return ageMs <= this.windowMs
        ? null
        : { message: 'expired', ageInSeconds: Math.floor(ageMs / 1000), maxAgeInSeconds }
    })
  }
}
