import type { Logger } from '@adonisjs/core/logger'
import type User from '#models/user'
import { appUrl } from '#config/mail'
import VerifyEmailNotification from '#mails/verify_email_notification'
import { deliver } from '#kit/runtime/mail'
import { VERIFICATION_LINK_LIFETIME, verificationLink } from '#mails/verification_link'

/**
 * The flash key a controller sets when the verification mail could not be
 * sent: the "check your inbox" page then does not say a link was sent.
 */
export const MAIL_FAILED_FLASH = 'verificationMailFailed'

/**
 * Mails the user a new verification link. False when the mail could not
 * be sent (logged by `deliver`).
 */
export function sendVerificationMail(user: User, logger: Logger): Promise<boolean> {
  const notification = new VerifyEmailNotification(
    user.email,
    verificationLink(user, appUrl),
    VERIFICATION_LINK_LIFETIME.words
  )
  return deliver(notification, logger)
}
