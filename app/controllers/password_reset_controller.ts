import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import User from '#models/user'
import PasswordResetToken, {
  PASSWORD_RESET_LIFETIME,
  type ResetTokenLookup,
} from '#models/password_reset_token'
import { forgotPasswordValidator, resetPasswordValidator } from '#validators/account'
import { preferredErrorFormat, respond } from '#kit/errors'
import LinkFailedException from '#exceptions/link_failed_exception'
import { CLAIMS_SESSION_KEY, SessionFamilies, recordSignIn, refreshClaim } from '#kit/sessions'
import { mfa, MFA_SESSION_KEY } from '#claims/mfa_claim'
import { throttleAccountForm } from '#start/limiter'
import { sendResetLink } from '#mails/send_reset_link'
import { AfterResponseTasks } from '#kit/runtime'

/**
 * Password reset: "forgot password" (mails a single-use link) and "choose
 * a new password" (the link's page).
 */
@inject()
export default class PasswordResetController {
  constructor(
    protected families: SessionFamilies,
    protected tasks: AfterResponseTasks
  ) {}

  /**
   * The "forgot password" form.
   */
  async create({ view }: HttpContext) {
    return view.render('pages/forgot_password')
  }

  /**
   * Mails a reset link when an account uses the address. The answer is the
   * same whether or not one does, and takes as long: the account is
   * looked up, the token made and the mail sent after the response
   * (`sendResetLink`). A mail that cannot be sent is logged and its token
   * deleted; the user, seeing no mail, asks again.
   */
  async store(ctx: HttpContext) {
    const { request, response, session } = ctx
    await throttleAccountForm(ctx, 'forgot_password', request.input('email'))

    const form = await this.#validated(ctx, forgotPasswordValidator, '/forgot-password')
    if (form === null) {
      return response
    }

    this.tasks.schedule(ctx, 'send_reset_link', () => sendResetLink(form.email, ctx.logger))
    session.flash(
      'notice',
      `If an account uses ${form.email}, we sent it a link to choose a new password. ` +
        `The link works for ${PASSWORD_RESET_LIFETIME.words}.`
    )
    return response.redirect().toPath('/forgot-password')
  }

  /**
   * The "choose a new password" form of a valid link; a page saying the
   * link has expired or is not valid otherwise.
   */
  async edit(ctx: HttpContext) {
    const { params, view, response } = ctx
    response.header('cache-control', 'no-store')
    const lookup = await PasswordResetToken.lookup(String(params.token))
    if (lookup.kind !== 'valid') {
      return this.#linkFailed(ctx, lookup.kind)
    }
    return view.render('pages/reset_password', { token: params.token })
  }

  /**
   * Sets the new password, spends every reset link of the user, revokes
   * every session of the user (a reset says "someone may have my
   * password"), and signs the user in afresh.
   *
   * The link is spent (atomically, see `PasswordResetToken.spend`) before
   * the password is set: of several posts of one link at once, exactly
   * one sets it; the others get the page of a used link.
   */
  async update(ctx: HttpContext) {
    const { params, response, session, auth } = ctx
    await throttleAccountForm(ctx, 'reset_password')
    response.header('cache-control', 'no-store')

    const token = String(params.token)
    const lookup = await PasswordResetToken.lookup(token)
    if (lookup.kind !== 'valid') {
      return this.#linkFailed(ctx, lookup.kind)
    }

    const form = await this.#validated(ctx, resetPasswordValidator, `/reset-password/${token}`)
    if (form === null) {
      return response
    }

    if (!(await PasswordResetToken.spend(token))) {
      return this.#linkFailed(ctx, 'unknown')
    }
    const user = await User.findOrFail(lookup.record.userId)
    user.password = form.password
    await user.save()
    await this.families.store?.destroyUser(String(user.id))

    session.forget(CLAIMS_SESSION_KEY)
    session.forget(MFA_SESSION_KEY)
    await auth.use('web').login(user)
    /**
     * A sign-in by the mailed link: not a proof for `recent-auth` (the
     * account's changes ask for the new password again).
     */
    recordSignIn(session, 'reset_link', { proof: false })
    /**
     * The `mfa` claim is known from the sign-in on (a user with a second
     * factor has not given it yet), so that the first page does not write
     * the session again.
     */
    await refreshClaim(session, user, mfa)
    session.flash('notice', 'Your password is changed. Every other session was signed out.')
    return response.redirect().toPath('/dashboard')
  }

  /**
   * The 400 page of a link that does not work: expired, or unknown (never
   * issued, mistyped or already used).
   */
  #linkFailed(ctx: HttpContext, reason: Exclude<ResetTokenLookup['kind'], 'valid'>) {
    return respond(new LinkFailedException(reason), ctx, {
      view: 'pages/reset_password_failed',
      reason,
    })
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
