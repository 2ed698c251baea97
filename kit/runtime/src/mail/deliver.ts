import type { Logger } from '@adonisjs/core/logger'
import type { BaseMail } from '@adonisjs/mail'
import mail from '@adonisjs/mail/services/main'

/**
 * Sends a mail now (not queued: the caller learns whether it went).
 * Returns false when the transport failed; the failure is logged at error
 * level with the mail's class and `outcome` (what became of the request,
 * in words), never its content (it holds a link that works as a
 * password) nor its address.
 */
export async function deliver(
  message: BaseMail,
  logger: Logger,
  outcome = 'the user was asked to try again'
): Promise<boolean> {
  try {
    await mail.send(message)
    return true
  } catch (error) {
    logger.error(
      { err: error, mail: message.constructor.name },
      `could not send a mail; ${outcome}`
    )
    return false
  }
}

/**
 * What the user reads when a mail could not be sent.
 */
export const MAIL_FAILED_MESSAGE =
  'We could not send the email just now. Nothing was lost: please try again in a few minutes.'
