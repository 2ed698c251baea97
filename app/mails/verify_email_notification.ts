import { BaseMail } from '@adonisjs/mail'

/**
 * The mail with the link that verifies a user's email address (sent at
 * sign-up, and again on request).
 */
export default class VerifyEmailNotification extends BaseMail {
  subject = 'Verify your email address'

  constructor(
    readonly email: string,
    /**
     * The signed, expiring link (absolute).
     */
    readonly url: string,
    /**
     * How long the link works, in words ("24 hours").
     */
    readonly validFor: string
  ) {
    super()
  }

  /**
   * The recipient and both parts of the message.
   */
  prepare() {
    const data = { url: this.url, validFor: this.validFor, email: this.email }
    this.message
      .to(this.email)
      .htmlView('emails/verify_email_html', data)
      .textView('emails/verify_email_text', data)
  }
}
