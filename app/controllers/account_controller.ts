import type { HttpContext } from '@adonisjs/core/http'

/**
 * The demo pages behind sign-in, each protected differently (see
 * start/routes.ts).
 */
export default class AccountController {
  /**
   * Any signed-in user.
   */
  async dashboard({ view }: HttpContext) {
    return view.render('pages/dashboard')
  }

  /**
   * Admins only (the "role" claim).
   */
  async admin({ view }: HttpContext) {
    return view.render('pages/admin')
  }

  /**
   * Users with a verified email address (the "email-verified" claim).
   */
  async billing({ view }: HttpContext) {
    return view.render('pages/billing')
  }

  /**
   * The signed-in user as JSON.
   */
  async me({ auth }: HttpContext) {
    return auth.use('web').user!.profile()
  }
}
