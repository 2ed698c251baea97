import { BaseMail } from '@adonisjs/mail'

/**
 * The mail with the single-use link that sets a new password.
 */
export default class ResetPasswordNotification extends BaseMail {
  subject = 'Reset your password'

  constructor(
    readonly email: string,
    /**
     * The reset link (absolute), carrying the token.
     */
    readonly url: string,
    /**
     * How long the link works, in words ("1 hour").
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
      .htmlView('emails/reset_password_html', data)
      .textView('emails/reset_password_text', data)
  }
}
