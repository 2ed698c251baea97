import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import { isUniqueViolation, preferredErrorFormat } from '#kit/errors'
import { SessionFamilies, refreshClaim } from '#kit/sessions'
import { MAIL_FAILED_MESSAGE } from '#kit/runtime/mail'
import { changeEmailValidator, changePasswordValidator } from '#validators/account'
import { throttleAccountForm } from '#start/limiter'
import { MAIL_FAILED_FLASH, sendVerificationMail } from '#mails/send_verification'
import { emailVerified } from '#claims/email_verified_claim'

/**
 * Changing the password and the email address (the security page's
 * forms). Both require a recent proof (`recent-auth`, start/routes.ts).
 */
@inject()
export default class AccountSettingsController {
  constructor(protected families: SessionFamilies) {}

  /**
   * Sets a new password. Every session of the user is signed out, as
   * after a password reset (a change says "someone may have my
   * password"), and this one signs in afresh: a new session token and
   * CSRF secret, keeping what it proved (its second factor, its recent
   * proof). Browsers go back to the security page; API clients get 204
   * and fetch a new CSRF token before their next POST.
   */
  async updatePassword(ctx: HttpContext) {
    const { auth, response, session } = ctx
    const user = auth.use('web').user!
    const form = await this.#validated(ctx, changePasswordValidator)
    if (form === null) {
      return response
    }

    user.password = form.password
    await user.save()
    await this.families.store?.destroyUser(String(user.id))
    await auth.use('web').login(user)
    ctx.logger.info({ event: 'account.password_changed', userId: user.id }, 'password changed')

    if (preferredErrorFormat(ctx) !== 'html') {
      return response.noContent()
    }
    session.flash('notice', 'Your password is changed. Every other session was signed out.')
    return response.redirect().toPath('/account/security')
  }

  /**
   * Sets a new email address, unverified: a link is mailed to it, and
   * the routes that require a verified address refuse the user until it
   * is followed (the links sent to the old address stop working: they
   * name it). An address in use is refused like at sign-up, also when
   * another request takes it at the same moment (the unique index).
   * Browsers go to "check your inbox"; API clients get `{ user }`.
   */
  async updateEmail(ctx: HttpContext) {
    const { auth, response, session } = ctx
    const user = auth.use('web').user!
    await throttleAccountForm(ctx, 'change_email', user.email)
    const form = await this.#validated(ctx, changeEmailValidator)
    if (form === null) {
      return response
    }

    user.email = form.email
    user.emailVerifiedAt = null
    try {
      await user.save()
    } catch (error) {
      if (isUniqueViolation(error)) {
        /**
         * Taken since the form was validated: validated again, the
         * address is in use, and the answer is the validator's.
         */
        await user.refresh()
        if ((await this.#validated(ctx, changeEmailValidator)) === null) {
          return response
        }
      }
      throw error
    }
    await refreshClaim(session, user, emailVerified)
    ctx.logger.info({ event: 'account.email_changed', userId: user.id }, 'email address changed')

    const mailed = await sendVerificationMail(user, ctx.logger)
    if (preferredErrorFormat(ctx) !== 'html') {
      return { user: user.profile() }
    }
    if (mailed) {
      session.flash(
        'notice',
        `Your address is changed. We sent a link to ${user.email} to verify it.`
      )
    } else {
      session.flash('error', MAIL_FAILED_MESSAGE)
      session.flash(MAIL_FAILED_FLASH, true)
    }
    return response.redirect().toPath('/verify-email')
  }

  /**
   * The validated form, or null after sending a browser back to the
   * security page with the errors and the input (never a password). API
   * clients get E_VALIDATION_ERROR.
   */
  async #validated<T>(
    ctx: HttpContext,
    validator: { validate(data: unknown): Promise<T> }
  ): Promise<T | null> {
    try {
      return await validator.validate(ctx.request.all())
    } catch (error) {
      if (error instanceof vineErrors.E_VALIDATION_ERROR && preferredErrorFormat(ctx) === 'html') {
        ctx.session.flashValidationErrors(error)
        ctx.response.redirect().toPath('/account/security')
        return null
      }
      throw error
    }
  }
}
