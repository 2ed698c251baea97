import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import User from '#models/user'
import { signUpValidator } from '#validators/account'
import { isUniqueViolation, preferredErrorFormat } from '#kit/errors'
import { CLAIMS_SESSION_KEY, recordSignIn } from '#kit/sessions'
import { throttleAccountForm } from '#start/limiter'
import { MAIL_FAILED_FLASH, sendVerificationMail } from '#mails/send_verification'
import { MAIL_FAILED_MESSAGE } from '#kit/runtime/mail'

/**
 * Creates accounts: the sign-up form.
 */
export default class SignUpController {
  /**
   * The sign-up form.
   */
  async create({ view }: HttpContext) {
    return view.render('pages/signup')
  }

  /**
   * Creates the account (the password hashed), signs the new user in with
   * a new session token, mails the verification link and goes to the
   * "check your inbox" page. An invalid form goes back to it with the
   * email kept (never the password); API clients get E_VALIDATION_ERROR.
   *
   * Two posts of one address at once (a double submit) both pass the
   * validator's "not in use" check before either inserts; the database's
   * unique index lets one insert, and the other is answered as the
   * validator answers an address in use.
   */
  async store(ctx: HttpContext) {
    const { request, response, session, auth } = ctx
    await throttleAccountForm(ctx, 'sign_up', request.input('email'))

    let user: User
    try {
      const { email, password } = await request.validateUsing(signUpValidator)
      user = await this.#create(ctx, email, password)
    } catch (error) {
      if (error instanceof vineErrors.E_VALIDATION_ERROR && preferredErrorFormat(ctx) === 'html') {
        session.flashValidationErrors(error)
        return response.redirect().toPath('/signup')
      }
      throw error
    }

    session.forget(CLAIMS_SESSION_KEY)
    await auth.use('web').login(user)
    recordSignIn(session, 'password')

    if (await sendVerificationMail(user, ctx.logger)) {
      session.flash('notice', `Welcome! We sent a link to ${user.email} to verify it.`)
    } else {
      session.flash('notice', 'Welcome! Your account is ready.')
      session.flash('error', MAIL_FAILED_MESSAGE)
      session.flash(MAIL_FAILED_FLASH, true)
    }
    return response.redirect().toPath('/verify-email')
  }

  /**
   * Inserts the account. When another request inserted the same address
   * since the form was validated, the form is validated again: the
   * validator now finds the address in use and throws its own
   * E_VALIDATION_ERROR, so the answer is the one of an address in use in
   * every format.
   */
  async #create(ctx: HttpContext, email: string, password: string): Promise<User> {
    try {
      return await User.create({ email, password, role: 'user' })
    } catch (error) {
      if (isUniqueViolation(error)) {
        await ctx.request.validateUsing(signUpValidator)
      }
      throw error
    }
  }
}
