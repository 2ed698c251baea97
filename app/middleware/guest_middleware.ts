import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { noStore } from '#kit/security'

/**
 * Keeps signed-in users away from guest-only pages (the login form):
 * they are sent to the dashboard instead. Every response of such a page
 * is `Cache-Control: no-store`: it depends on who is signed in, and the
 * form carries the visitor's own CSRF token.
 */
export default class GuestMiddleware {
  /**
   * Where signed-in users are sent.
   */
  redirectTo = '/'

  async handle(ctx: HttpContext, next: NextFn) {
    noStore(ctx.response)
    if (await ctx.auth.check()) {
      return ctx.response.redirect(this.redirectTo, true)
    }
    return next()
  }
}
