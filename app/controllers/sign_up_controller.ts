import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import User from '#models/user'
import { signUpValidator } from '#validators/account'
import { preferredErrorFormat } from '#errors/negotiate'
import { CLAIMS_SESSION_KEY } from '#claims/check_claims'
import { throttleAccountForm } from '#security/account_throttle'
import { sendVerificationMail } from '#mail/send_verification'
import { MAIL_FAILED_MESSAGE } from '#mail/deliver'

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
   */
  async store(ctx: HttpContext) {
    const { request, response, session, auth } = ctx
    await throttleAccountForm(ctx, 'sign_up', request.input('email'))

    let user: User
    try {
      const { email, password } = await request.validateUsing(signUpValidator)
      user = await User.create({ email, password, role: 'user' })
    } catch (error) {
      if (error instanceof vineErrors.E_VALIDATION_ERROR && preferredErrorFormat(ctx) === 'html') {
        session.flashValidationErrors(error)
        return response.redirect().toPath('/signup')
      }
      throw error
    }

    session.forget(CLAIMS_SESSION_KEY)
    await auth.use('web').login(user)

    if (await sendVerificationMail(user, ctx.logger)) {
      session.flash('notice', `Welcome! We sent a link to ${user.email} to verify it.`)
    } else {
      session.flash('notice', 'Welcome! Your account is ready.')
      session.flash('error', MAIL_FAILED_MESSAGE)
    }
    return response.redirect().toPath('/verify-email')
  }
}
