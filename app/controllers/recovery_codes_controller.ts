import type { HttpContext } from '@adonisjs/core/http'
import { preferredErrorFormat } from '#kit/errors'
import TotpFactor from '#models/totp_factor'
import RecoveryCode from '#models/recovery_code'

/**
 * New recovery codes, replacing the old ones (which stop working).
 */
export default class RecoveryCodesController {
  /**
   * Makes ten new codes and shows them once: the page (browsers) or
   * `{ recoveryCodes }` (API clients). A user without an authenticator
   * app has no codes to replace: they go to the security page.
   */
  async store(ctx: HttpContext) {
    const { auth, response, session, view } = ctx
    const user = auth.use('web').user!
    if (!(await TotpFactor.confirmedOf(user))) {
      session.flash('notice', 'Set up an authenticator app first.')
      return response.redirect().toPath('/account/security')
    }
    const codes = await RecoveryCode.replaceFor(user)
    ctx.logger.info(
      { event: 'mfa.recovery_codes_replaced', userId: user.id },
      'recovery codes replaced'
    )
    if (preferredErrorFormat(ctx) !== 'html') {
      return { recoveryCodes: codes }
    }
    return view.render('pages/recovery_codes', { codes, replaced: true })
  }
}
