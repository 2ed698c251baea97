import { inject } from '@adonisjs/core'
import hash from '@adonisjs/core/services/hash'
import type { HttpContext } from '@adonisjs/core/http'
import { FormThrottle, safeRedirectPath } from '#kit/security'
import { preferredErrorFormat } from '#kit/errors'
import { privilegeChanged, recordAuthProof, refreshClaim } from '#kit/sessions'
import InvalidConfirmationException from '#exceptions/invalid_confirmation_exception'
import { recentAuth } from '#claims/recent_auth_claim'

/**
 * "Confirm it's you": the step-up before an account change. A signed-in
 * session whose last proof is older than the `recent-auth` window (the
 * claim sends browsers here, API clients get 403 E_INVALID_CLAIM with
 * `id: 'recent-auth'`) types its password again, or a code of its second
 * factor.
 */
@inject()
export default class ConfirmController {
  constructor(protected throttle: FormThrottle) {}

  /**
   * The form: the password, a code when the user has an authenticator
   * app, a passkey when they have one (`PasskeyChallengeController`).
   * `next` (a same-site path) is where to go after it.
   */
  async create({ view, auth, request }: HttpContext) {
    const next = safeRedirectPath(request.input('next'), '')
    const factors = await auth.use('web').user!.secondFactors()
    return view.render('pages/confirm', {
      next,
      hasTotp: factors.includes('totp'),
      passkeys: factors.includes('passkey'),
    })
  }

  /**
   * Checks the password (or, with `code`, a code of the app or a recovery
   * code, spent), through the form throttle per account and address, like
   * the sign-in. Passing it records a proof (`recent-auth`) and is a
   * privilege change: the session token rotates and the CSRF secret is
   * renewed, then browsers go to `next` and API clients get
   * `{ confirmed: method }` (they fetch a new CSRF token before their next
   * POST). A wrong answer sends browsers back to the form with a message;
   * API clients get E_INVALID_CONFIRMATION (400), or 429 once locked.
   */
  async store(ctx: HttpContext) {
    const { auth, request, response, session } = ctx
    const user = auth.use('web').user!
    const next = safeRedirectPath(request.input('next'), '')
    const code = String(request.input('code', '')).trim()
    const password = String(request.input('password', ''))

    let method: string
    try {
      method = await this.throttle.attempt(
        ctx,
        { action: 'confirm', account: user.email },
        async () => {
          const proved = code
            ? await user.spendSecondFactorCode(code)
            : password && (await hash.use('scrypt').verify(user.password, password))
              ? 'password'
              : null
          if (!proved) {
            throw new InvalidConfirmationException()
          }
          return proved
        }
      )
    } catch (error) {
      if (error instanceof InvalidConfirmationException && preferredErrorFormat(ctx) === 'html') {
        session.flash('error', error.message)
        return response.redirect().toPath(recentAuth.confirmUrl(next))
      }
      throw error
    }

    recordAuthProof(session, method)
    await refreshClaim(session, user, recentAuth)
    privilegeChanged(ctx)
    ctx.logger.info({ event: 'auth.confirmed', userId: user.id, method }, 'session confirmed')

    if (preferredErrorFormat(ctx) !== 'html') {
      return { confirmed: method }
    }
    return response.redirect().toPath(next || '/account/security')
  }
}
