import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Keeps signed-in users away from guest-only pages (the login form):
 * they are sent to the dashboard instead.
 */
export default class GuestMiddleware {
  /**
   * Where signed-in users are sent.
   */
  redirectTo = '/'

  async handle(ctx: HttpContext, next: NextFn) {
    if (await ctx.auth.check()) {
      return ctx.response.redirect(this.redirectTo, true)
    }
    return next()
  }
}
