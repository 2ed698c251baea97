import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { FormThrottle, safeRedirectPath } from '#kit/security'
import { preferredErrorFormat } from '#kit/errors'
import { privilegeChanged, recordSignInStep, refreshClaim } from '#kit/sessions'
import RecoveryCode from '#models/recovery_code'
import InvalidMfaCodeException from '#exceptions/invalid_mfa_code_exception'
import { mfa, MFA_SESSION_KEY } from '#claims/mfa_claim'
import { recentAuth } from '#claims/recent_auth_claim'

/**
 * The second step of a sign-in for users with an authenticator app: a
 * code from the app, or one of the recovery codes. Reached by a session
 * that signed in with the password only (the `mfa` claim sends browsers
 * here, API clients get 403 E_INVALID_CLAIM with `id: 'mfa'`).
 */
@inject()
export default class MfaChallengeController {
  constructor(protected throttle: FormThrottle) {}

  /**
   * The challenge form: a code of the app (or a recovery code), and "Use
   * a passkey" for users with one (passkey_challenge_controller.ts).
   * `next` (a same-site path) is where to go after it. A session that
   * needs no challenge goes there at once.
   */
  async create({ view, auth, request, response, session }: HttpContext) {
    const next = safeRedirectPath(request.input('next'), '')
    const factors = session.has(MFA_SESSION_KEY) ? [] : await auth.use('web').user!.secondFactors()
    if (!factors.length) {
      return response.redirect().toPath(next || '/')
    }
    return view.render('pages/mfa_challenge', {
      next,
      totp: factors.includes('totp'),
      passkeys: factors.includes('passkey'),
    })
  }

  /**
   * Checks the code: six digits are a code of the app (±1 time step,
   * each step accepted once), anything else a recovery code (spent). It
   * joins the session's sign-in methods and counts as a recent proof
   * (`recent-auth`). The
   * check goes through the form throttle, per account and address, like
   * the sign-in. Passing it is a privilege change: the session token
   * rotates and the CSRF secret is renewed, then browsers go to `next`
   * and API clients get `{ mfa: method }` (they fetch a new CSRF token
   * before their next POST). A wrong code sends browsers back to the
   * form with a message; API clients get E_INVALID_MFA_CODE (400), or 429
   * once locked.
   */
  async store(ctx: HttpContext) {
    const { auth, request, response, session } = ctx
    const user = auth.use('web').user!
    const next = safeRedirectPath(request.input('next'), '')
    const code = String(request.input('code', ''))

    let method: 'totp' | 'recovery_code'
    try {
      method = await this.throttle.attempt(
        ctx,
        { action: 'mfa_challenge', account: user.email },
        async () => {
          const proved = await user.spendSecondFactorCode(code)
          if (!proved) {
            throw new InvalidMfaCodeException()
          }
          return proved
        }
      )
    } catch (error) {
      if (error instanceof InvalidMfaCodeException && preferredErrorFormat(ctx) === 'html') {
        session.flash('error', error.message)
        return response.redirect().toPath(mfa.challengeUrl(next))
      }
      throw error
    }

    session.put(MFA_SESSION_KEY, { at: Date.now(), method })
    recordSignInStep(session, method)
    await refreshClaim(session, user, mfa)
    await refreshClaim(session, user, recentAuth)
    privilegeChanged(ctx)
    ctx.logger.info(
      { event: 'mfa.challenge_passed', userId: user.id, method },
      'second factor given'
    )

    if (preferredErrorFormat(ctx) !== 'html') {
      return { mfa: method }
    }
    if (method === 'recovery_code') {
      const left = await RecoveryCode.countFor(user)
      session.flash('notice', `A recovery code was used: ${left} left.`)
    }
    return response.redirect().toPath(next || '/')
  }
}
