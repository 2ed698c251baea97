import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import User from '#models/user'
import PasswordResetToken, {
  PASSWORD_RESET_LIFETIME,
  hashResetToken,
} from '#models/password_reset_token'
import ResetPasswordNotification from '#mails/reset_password_notification'
import { forgotPasswordValidator, resetPasswordValidator } from '#validators/account'
import { preferredErrorFormat } from '#errors/negotiate'
import { CLAIMS_SESSION_KEY } from '#claims/check_claims'
import { throttleAccountForm } from '#security/account_throttle'
import { MAIL_FAILED_MESSAGE, deliver } from '#mail/deliver'
import { appUrl } from '#config/mail'
import { SessionFamilies } from '#session/session_families'

/**
 * Password reset: "forgot password" (mails a single-use link) and "choose
 * a new password" (the link's page).
 */
@inject()
export default class PasswordResetController {
  constructor(protected families: SessionFamilies) {}

  /**
   * The "forgot password" form.
   */
  async create({ view }: HttpContext) {
    return view.render('pages/forgot_password')
  }

  /**
   * Mails a reset link when an account uses the address. The answer is the
   * same whether or not one does; only a mail that could not be sent is
   * told (its link is deleted: nothing half-done is left).
   */
  async store(ctx: HttpContext) {
    const { request, response, session } = ctx
    await throttleAccountForm(ctx, 'forgot_password', request.input('email'))

    const email = await this.#validated(ctx, forgotPasswordValidator, '/forgot-password')
    if (email === null) {
      return response
    }

    const user = await User.query().whereRaw('lower(email) = ?', [email.email]).first()
    if (user) {
      const token = await PasswordResetToken.issue(user)
      const url = `${appUrl}/reset-password/${token}`
      const sent = await deliver(
        new ResetPasswordNotification(user.email, url, PASSWORD_RESET_LIFETIME.words),
        ctx.logger
      )
      if (!sent) {
        await PasswordResetToken.query().where('token_hash', hashResetToken(token)).delete()
        session.flashOnly(['email'])
        session.flash('error', MAIL_FAILED_MESSAGE)
        return response.redirect().toPath('/forgot-password')
      }
    }

    session.flash(
      'notice',
      `If an account uses ${email.email}, we sent it a link to choose a new password. ` +
        `The link works for ${PASSWORD_RESET_LIFETIME.words}.`
    )
    return response.redirect().toPath('/forgot-password')
  }

  /**
   * The "choose a new password" form of a valid link; a page saying the
   * link has expired or is not valid otherwise.
   */
  async edit({ params, view, response }: HttpContext) {
    response.header('cache-control', 'no-store')
    const lookup = await PasswordResetToken.lookup(String(params.token))
    if (lookup.kind !== 'valid') {
      response.status(400)
      return view.render('pages/reset_password_failed', { reason: lookup.kind })
    }
    return view.render('pages/reset_password', { token: params.token })
  }

  /**
   * Sets the new password, spends every reset link of the user, revokes
   * every session of the user (a reset says "someone may have my
   * password"), and signs the user in afresh.
   */
  async update(ctx: HttpContext) {
    const { params, response, session, auth, view } = ctx
    await throttleAccountForm(ctx, 'reset_password')
    response.header('cache-control', 'no-store')

    const token = String(params.token)
    const lookup = await PasswordResetToken.lookup(token)
    if (lookup.kind !== 'valid') {
      response.status(400)
      return view.render('pages/reset_password_failed', { reason: lookup.kind })
    }

    const form = await this.#validated(ctx, resetPasswordValidator, `/reset-password/${token}`)
    if (form === null) {
      return response
    }

    const user = await User.findOrFail(lookup.record.userId)
    user.password = form.password
    await user.save()
    await PasswordResetToken.forgetUser(user.id)
    await this.families.store?.destroyUser(String(user.id))

    session.forget(CLAIMS_SESSION_KEY)
    await auth.use('web').login(user)
    session.flash('notice', 'Your password is changed. Every other session was signed out.')
    return response.redirect().toPath('/dashboard')
  }

  /**
   * The validated form, or null after sending a browser back to `formPath`
   * with the errors and the input (never a password). API clients get
   * E_VALIDATION_ERROR.
   */
  async #validated<T>(
    ctx: HttpContext,
    validator: { validate(data: unknown): Promise<T> },
    formPath: string
  ): Promise<T | null> {
    try {
      return await validator.validate(ctx.request.all())
    } catch (error) {
      if (error instanceof vineErrors.E_VALIDATION_ERROR && preferredErrorFormat(ctx) === 'html') {
        ctx.session.flashValidationErrors(error)
        ctx.response.redirect().toPath(formPath)
        return null
      }
      throw error
    }
  }
}
