import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { FormThrottle } from '#kit/security'
import { preferredErrorFormat } from '#kit/errors'
import { refreshClaim } from '#kit/sessions'
import { mfa, MFA_SESSION_KEY } from '#claims/mfa_claim'
import { totpQrSvg, totpUri, verifyTotp } from '#kit/mfa'
import TotpFactor from '#models/totp_factor'
import RecoveryCode from '#models/recovery_code'
import InvalidMfaCodeException from '#exceptions/invalid_mfa_code_exception'

/**
 * The issuer authenticator apps show next to the account.
 */
const ISSUER = 'Starter kit'

/**
 * Setting up an authenticator app (TOTP): the enrolment page, and its
 * confirmation with a first code, which switches the factor on and
 * shows the ten recovery codes, once; and turning it off.
 */
@inject()
export default class TotpController {
  constructor(protected throttle: FormThrottle) {}

  /**
   * The enrolment page: the QR code (inline SVG, drawn on the server) and
   * the secret in text, for apps that cannot scan. A reload shows the same
   * secret until it is confirmed. A user whose app is set up already goes
   * to the security page.
   */
  async create({ view, auth, response, session }: HttpContext) {
    const user = auth.use('web').user!
    const factor = await TotpFactor.pendingFor(user)
    if (!factor) {
      session.flash('notice', 'Your authenticator app is set up already.')
      return response.redirect().toPath('/account/security')
    }
    const secret = factor.decryptedSecret()
    const qrCode = await totpQrSvg(totpUri({ secret, issuer: ISSUER, account: user.email }))
    return view.render('pages/totp_setup', {
      qrCode,
      secret: secret.replace(/(.{4})(?=.)/g, '$1 '),
    })
  }

  /**
   * Confirms the factor with a first code (±1 time step; the step is
   * spent, so the same code is not accepted again). The check goes
   * through the form throttle, per account and address, like the
   * sign-in. A wrong code sends browsers back to the page with a message;
   * API clients get E_INVALID_MFA_CODE (400), or 429 once locked. Once
   * on, the ten recovery codes are made and shown, this once: the page
   * (browsers) or `{ totp: true, recoveryCodes }` (API clients).
   */
  async store(ctx: HttpContext) {
    const { auth, request, response, session } = ctx
    const user = auth.use('web').user!
    const factor = await TotpFactor.findBy('userId', user.id)
    if (!factor) {
      return response.redirect().toPath('/account/security/totp')
    }
    if (factor.confirmedAt) {
      session.flash('notice', 'Your authenticator app is set up already.')
      return response.redirect().toPath('/account/security')
    }

    try {
      await this.throttle.attempt(
        ctx,
        { action: 'mfa_totp_setup', account: user.email },
        async () => {
          const result = verifyTotp({
            secret: factor.decryptedSecret(),
            code: String(request.input('code', '')),
            now: Date.now(),
            lastUsedStep: factor.lastUsedStep,
          })
          if (!result.ok || !(await factor.useStep(result.step, { confirm: true }))) {
            throw new InvalidMfaCodeException()
          }
        }
      )
    } catch (error) {
      if (error instanceof InvalidMfaCodeException && preferredErrorFormat(ctx) === 'html') {
        session.flash('error', error.message)
        return response.redirect().toPath('/account/security/totp')
      }
      throw error
    }

    const codes = await RecoveryCode.replaceFor(user)
    /**
     * This session just gave a code of the app: it keeps its access
     * (the `mfa` claim now requires the factor of this user).
     */
    session.put(MFA_SESSION_KEY, { at: Date.now(), method: 'totp' })
    await refreshClaim(session, user, mfa)
    ctx.logger.info({ event: 'mfa.totp_enabled', userId: user.id }, 'authenticator app set up')
    if (preferredErrorFormat(ctx) !== 'html') {
      return { totp: true, recoveryCodes: codes }
    }
    return ctx.view.render('pages/recovery_codes', { codes, replaced: false })
  }

  /**
   * Turns the authenticator app off: the factor and every recovery code
   * are removed (sign-ins ask for the password only from then on), logged
   * as a security event. Browsers go to the security page; API clients
   * get `{ totp: false }`.
   */
  async destroy(ctx: HttpContext) {
    const { auth, response, session } = ctx
    const user = auth.use('web').user!
    const removed = await user.removeSecondFactors()
    await refreshClaim(session, user, mfa)
    ctx.logger.warn(
      { event: 'mfa.totp_disabled', userId: user.id, recoveryCodesRemoved: removed.recoveryCodes },
      'authenticator app turned off'
    )
    if (preferredErrorFormat(ctx) !== 'html') {
      return { totp: false }
    }
    session.flash(
      'notice',
      removed.totp
        ? 'Your authenticator app is turned off, and your recovery codes removed.'
        : 'No authenticator app was set up.'
    )
    return response.redirect().toPath('/account/security')
  }
}
