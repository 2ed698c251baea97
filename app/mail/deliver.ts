import type { Logger } from '@adonisjs/core/logger'
import type { BaseMail } from '@adonisjs/mail'
import mail from '@adonisjs/mail/services/main'

/**
 * Sends a mail now (not queued: the caller tells the user whether it
 * went). Returns false when the transport failed; the failure is logged
 * at error level with the mail's class, never its content (it holds a
 * link that works as a password).
 */
export async function deliver(message: BaseMail, logger: Logger): Promise<boolean> {
  try {
    await mail.send(message)
    return true
  } catch (error) {
    logger.error(
      { err: error, mail: message.constructor.name },
      'could not send a mail; the user was asked to try again'
    )
    return false
  }
}

/**
 * What the user reads when a mail could not be sent.
 */
export const MAIL_FAILED_MESSAGE =
  'We could not send the email just now. Nothing was lost: please try again in a few minutes.'
