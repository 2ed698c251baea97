import type { HttpContext } from '@adonisjs/core/http'
import TotpFactor from '#models/totp_factor'

/**
 * The account's security page: the second factors set up.
 */
export default class SecurityController {
  /**
   * Whether an authenticator app is set up, since when and when it was
   * last used.
   */
  async show({ view, auth }: HttpContext) {
    const user = auth.use('web').user!
    const totp = await TotpFactor.confirmedOf(user)
    return view.render('pages/security', { totp })
  }
}
