import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import type { Logger } from '@adonisjs/core/logger'

/**
 * `node ace user:mfa-reset --email=...`: removes a user's second factors
 * (the authenticator app and the recovery codes), for a user who lost
 * both. Their next sign-in asks for the password only. Every session of
 * the user ends (whoever holds the lost factor may hold one). Logged as a
 * security event ("mfa.reset") in the app's log.
 */
export default class UserMfaReset extends BaseCommand {
  static commandName = 'user:mfa-reset'
  static description =
    "Remove a user's second factors (authenticator app, recovery codes, passkeys)"
  static help = [
    'For a user who lost their authenticator app, recovery codes or passkeys. Check who is asking',
    'first: whoever gets this done signs in with the password alone.',
    '    node ace user:mfa-reset --email=someone@example.com',
    'Every session of the user is signed out. The reset is logged as a security event',
    '("mfa.reset"). An unknown email: exit code 1.',
  ]
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'The email address of the user', required: true })
  declare email: string

  /**
   * Where the security event goes: the app's logger unless set (tests set
   * their own).
   */
  securityLogger?: Logger

  async run() {
    /**
     * Loaded here, not at the top: ace imports every command file to list
     * them.
     */
    const { SessionFamilies } = await import('#kit/sessions')
    const { default: User } = await import('#models/user')
    const { default: WebauthnCredential } = await import('#models/webauthn_credential')
    const { normalizeEmail, maskEmail } = await import('#validators/account_email')

    const user = await User.findBy('email', normalizeEmail(this.email))
    if (!user) {
      this.logger.error(`No user has the email address ${this.email}`)
      this.exitCode = 1
      return
    }

    /**
     * Every factor goes, passkeys too: the device that held them may be
     * the one that was lost.
     */
    const removed = await user.removeSecondFactors()
    const passkeysRemoved = Number(
      await WebauthnCredential.query().where('user_id', user.id).delete()
    )
    /**
     * Whoever lost the factor may not be the only one who had it: every
     * session of the user ends, partly signed-in ones included.
     */
    const families = await this.app.container.make(SessionFamilies)
    const sessionsEnded = (await families.store?.destroyUser(String(user.id))) ?? 0

    const logger = this.securityLogger ?? (await this.app.container.make('logger'))
    logger.warn(
      {
        event: 'mfa.reset',
        userId: user.id,
        email: maskEmail(user.email),
        totpRemoved: removed.totp,
        recoveryCodesRemoved: removed.recoveryCodes,
        passkeysRemoved,
        sessionsEnded,
      },
      'second factors removed by an operator'
    )
    this.logger.success(
      (removed.totp || removed.recoveryCodes > 0 || passkeysRemoved > 0
        ? `Removed the second factors of user #${user.id} ${user.email}: ` +
          `${removed.totp ? 'the authenticator app' : 'no authenticator app'}, ` +
          `${removed.recoveryCodes} recovery code(s) and ${passkeysRemoved} passkey(s)`
        : `User #${user.id} ${user.email} had no second factor`) +
        `; signed out ${sessionsEnded} session(s)`
    )
  }
}
