import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { loginValidator } from '#validators/session'

/**
 * Signs users in and out.
 */
export default class SessionController {
  /**
   * The login form.
   */
  async create({ view }: HttpContext) {
    return view.render('pages/login')
  }

  /**
   * Checks the credentials and signs the user in. A wrong email or password
   * raises E_INVALID_CREDENTIALS, which redirects back with a flash message.
   */
  async store({ request, auth, response }: HttpContext) {
    const { email, password } = await request.validateUsing(loginValidator)
    const user = await User.verifyCredentials(email, password)

    await auth.use('web').login(user)
    return response.redirect('/')
  }

  /**
   * Signs the user out.
   */
  async destroy({ auth, session, response }: HttpContext) {
    await auth.use('web').logout()
    session.flash('notice', 'You have been signed out.')
    return response.redirect('/login')
  }
}
