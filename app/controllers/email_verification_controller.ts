import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import User from '#models/user'
import { refreshClaim } from '#kit/sessions'
import { emailVerified } from '#claims/email_verified_claim'
import { throttleAccountForm } from '#start/limiter'
import { MAIL_FAILED_MESSAGE } from '#kit/runtime/mail'
import { MAIL_FAILED_FLASH, sendVerificationMail } from '#mails/send_verification'
import { VERIFICATION_PURPOSE, emailFingerprint } from '#mails/verification_link'
import { respond } from '#kit/errors'
import LinkFailedException from '#exceptions/link_failed_exception'

/**
 * Email verification: the "check your inbox" page, sending a new link,
 * and following one.
 */
export default class EmailVerificationController {
  /**
   * "Check your inbox", with a button that sends a new link. A verified
   * user goes to the dashboard. Right after a mail that could not be sent
   * (`MAIL_FAILED_FLASH`), the page does not say a link was sent.
   */
  async show({ view, auth, response, session }: HttpContext) {
    const user = auth.use('web').user!
    if (user.emailVerifiedAt) {
      return response.redirect().toPath('/dashboard')
    }
    const mailFailed = session.flashMessages.get(MAIL_FAILED_FLASH) === true
    return view.render('pages/verify_email', { email: user.email, mailFailed })
  }

  /**
   * Mails a new link to the signed-in user, then back to "check your
   * inbox" with what happened.
   */
  async resend(ctx: HttpContext) {
    const { auth, session, response } = ctx
    const user = auth.use('web').user!
    await throttleAccountForm(ctx, 'resend_verification', user.email)

    if (user.emailVerifiedAt) {
      session.flash('notice', 'Your email address is already verified.')
      return response.redirect().toPath('/dashboard')
    }
    if (await sendVerificationMail(user, ctx.logger)) {
      session.flash('notice', `We sent a new link to ${user.email}.`)
    } else {
      session.flash('error', MAIL_FAILED_MESSAGE)
      session.flash(MAIL_FAILED_FLASH, true)
    }
    return response.redirect().toPath('/verify-email')
  }

  /**
   * Follows a link from the mail. A valid one sets `email_verified_at`;
   * when the visitor is signed in as that user, the email-verified claim
   * is refreshed at once and the session token rotated (a privilege
   * changed). An expired, tampered or used link gets a page that says so,
   * with a way to get a new one.
   */
  async verify(ctx: HttpContext) {
    const { request, params, auth, session, response } = ctx

    const user = request.hasValidSignature(VERIFICATION_PURPOSE)
      ? await User.find(Number(params.id))
      : null
    if (!user || request.input('email') !== emailFingerprint(user.email)) {
      return this.#linkFailed(ctx, 'invalid')
    }
    if (user.emailVerifiedAt) {
      return this.#linkFailed(ctx, 'used')
    }

    user.emailVerifiedAt = DateTime.now()
    await user.save()

    if (auth.use('web').user?.id === user.id) {
      await refreshClaim(session, user, emailVerified)
      ctx.sessionTokens?.requestRotation()
      session.flash('notice', 'Thank you: your email address is verified.')
      return response.redirect().toPath('/dashboard')
    }
    session.flash('notice', 'Thank you: your email address is verified. You can sign in.')
    return response.redirect().toPath('/login')
  }

  /**
   * The 400 page of a link that does not work (invalid, or used).
   */
  #linkFailed(ctx: HttpContext, reason: 'invalid' | 'used') {
    return respond(new LinkFailedException(reason), ctx, {
      view: 'pages/verify_email_failed',
      reason,
    })
  }
}
