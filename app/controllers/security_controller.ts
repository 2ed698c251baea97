import type { HttpContext } from '@adonisjs/core/http'
import TotpFactor from '#models/totp_factor'
import RecoveryCode from '#models/recovery_code'

/**
 * The account's security page: the second factors set up, and the
 * recovery codes left.
 */
export default class SecurityController {
  /**
   * Whether an authenticator app is set up, since when and when it was
   * last used, and how many recovery codes are left.
   */
  async show({ view, auth }: HttpContext) {
    const user = auth.use('web').user!
    const totp = await TotpFactor.confirmedOf(user)
    const recoveryCodesLeft = totp ? await RecoveryCode.countFor(user) : 0
    return view.render('pages/security', { totp, recoveryCodesLeft })
  }
}
