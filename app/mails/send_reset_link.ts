import type { Logger } from '@adonisjs/core/logger'
import User from '#models/user'
import PasswordResetToken, {
  PASSWORD_RESET_LIFETIME,
  hashResetToken,
} from '#models/password_reset_token'
import ResetPasswordNotification from '#mails/reset_password_notification'
import { appUrl } from '#config/mail'
import { deliver } from '#kit/runtime/mail'

/**
 * Mails a password reset link to the account that uses `email` (already
 * normalised), when one does; does nothing otherwise. A token whose mail
 * could not be sent is deleted again: nobody received its link, and the
 * user, seeing no mail, asks for a new one (the failure is logged by
 * `deliver`).
 *
 * "Forgot password" runs it after its response (`AfterResponseTasks`), so
 * that the answer takes as long whether or not an account uses the
 * address.
 */
export async function sendResetLink(email: string, logger: Logger): Promise<void> {
  const user = await User.query().whereRaw('lower(email) = ?', [email]).first()
  if (!user) {
    return
  }

  const token = await PasswordResetToken.issue(user)
  const notification = new ResetPasswordNotification(
    user.email,
    `${appUrl}/reset-password/${token}`,
    PASSWORD_RESET_LIFETIME.words
  )
  if (!(await deliver(notification, logger, 'its reset link was deleted'))) {
    await PasswordResetToken.query().where('token_hash', hashResetToken(token)).delete()
  }
}
