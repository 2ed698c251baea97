import type { HttpContext } from '@adonisjs/core/http'
import TotpFactor from '#models/totp_factor'
import RecoveryCode from '#models/recovery_code'
import WebauthnCredential, { PASSKEY_NAME_MAX_LENGTH } from '#models/webauthn_credential'

/**
 * The account's security page: the second factors set up (the
 * authenticator app, passkeys), and the recovery codes left.
 */
export default class SecurityController {
  /**
   * Whether an authenticator app is set up, since when and when it was
   * last used, how many recovery codes are left, and the passkeys (when
   * each was added and last used).
   */
  async show({ view, auth }: HttpContext) {
    const user = auth.use('web').user!
    const totp = await TotpFactor.confirmedOf(user)
    const recoveryCodesLeft = totp ? await RecoveryCode.countFor(user) : 0
    const passkeys = await WebauthnCredential.ofUser(user)
    return view.render('pages/security', {
      totp,
      recoveryCodesLeft,
      passkeys,
      nameMaxLength: PASSKEY_NAME_MAX_LENGTH,
    })
  }
}
