import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { loginValidator } from '#validators/session'
import { safeRedirectPath } from '#security/safe_redirect'
import { CLAIMS_SESSION_KEY } from '#claims/check_claims'
import { UNAUTHORIZED_MESSAGES } from '#exceptions/unauthorized_exception'
import { SessionFamilies } from '#session/session_families'

/**
 * Signs users in and out (the login form, sign-out, sign-out everywhere).
 */
@inject()
export default class SignInController {
  constructor(protected families: SessionFamilies) {}

  /**
   * The login form. `next` (a same-site path) is where to go after it;
   * with one, the page says why the visitor landed here.
   */
  async create({ view, request }: HttpContext) {
    const next = safeRedirectPath(request.input('next'), '')
    return view.render('pages/login', {
      next,
      notice: next ? UNAUTHORIZED_MESSAGES.missing : undefined,
    })
  }

  /**
   * Checks the credentials and signs the user in (with a new session
   * token). A wrong email or password raises E_INVALID_CREDENTIALS, which
   * redirects back with a flash message.
   */
  async store({ request, auth, response, session }: HttpContext) {
    const { email, password } = await request.validateUsing(loginValidator)
    const user = await User.verifyCredentials(email, password)

    session.forget(CLAIMS_SESSION_KEY)
    await auth.use('web').login(user)
    return response.redirect(safeRedirectPath(request.input('next')))
  }

  /**
   * Signs the user out: the server-side session is destroyed (not only the
   * sign-in), and the browser gets a new, empty one.
   */
  async destroy({ auth, session, response }: HttpContext) {
    await auth.use('web').logout()
    session.clear()
    session.regenerate()
    session.flash('notice', 'You have been signed out.')
    return response.redirect('/login')
  }

  /**
   * Signs the user out on every device.
   */
  async destroyAll({ auth, session, response }: HttpContext) {
    const user = auth.use('web').user!
    await this.families.store?.destroyUser(String(user.id))
    await auth.use('web').logout()
    session.clear()
    session.regenerate()
    session.flash('notice', 'You have been signed out on every device.')
    return response.redirect('/login')
  }
}
