import type User from '#models/user'
import type { SecondFactor } from '#models/user'
import { Claim, type ClaimValidator } from '#kit/sessions'
import { safeRedirectPath } from '#kit/security'

/**
 * The session key that says a second factor was given in this session:
 * `{ at, method }` (ms since the epoch; 'totp', 'recovery_code' or
 * 'passkey').
 * Forgotten at every sign-in; gone with the session at sign-out.
 */
export const MFA_SESSION_KEY = 'mfa'

/**
 * What the claim knows: whether the user has a second factor, which ones,
 * and whether this session gave one.
 */
export type MfaClaimValue = { required: boolean; verified: boolean; factors: SecondFactor[] }

/**
 * Whether the session proved a second factor, for a user who has one. A
 * user without a factor passes. Checked again at most every minute: a
 * factor set up on another device takes effect on this session within
 * that time.
 */
class MfaClaim extends Claim<MfaClaimValue, User> {
  /**
   * Where a browser that fails this claim goes (`onInvalidClaim` in
   * app/exceptions/handler.ts).
   */
  readonly challengePath = '/mfa/challenge'

  constructor() {
    super(
      'mfa',
      async (user, session) => {
        const factors = await user.secondFactors()
        return { required: factors.length > 0, verified: session.has(MFA_SESSION_KEY), factors }
      },
      60_000
    )
  }

  /**
   * Requires the second factor of users who have one. The reason names
   * the factors the user has (any of them would do).
   */
  completed() {
    return this.validator('a second factor (your authenticator app or a passkey)', (value) => {
      if (value === undefined) {
        return { message: 'value does not exist' }
      }
      return !value.required || value.verified
        ? null
        : {
            message: 'MFA requirement for auth is not satisfied',
            /**
             * A value kept by a session from before passkeys had no
             * `factors`: an authenticator app was the only factor then.
             */
            factors: value.factors ?? ['totp', 'recovery_code'],
          }
    })
  }

  /**
   * The claim validators of `global` without this one: for the routes a
   * session must reach before it gave its second factor (the challenge).
   */
  without(global: ClaimValidator[]) {
    return global.filter((validator) => validator.id !== this.id)
  }

  /**
   * The challenge page, coming back to `next` (a same-site path) after.
   */
  challengeUrl(next: string) {
    const back = safeRedirectPath(next, '')
    return back ? `${this.challengePath}?next=${encodeURIComponent(back)}` : this.challengePath
  }
}

export const mfa = new MfaClaim()
