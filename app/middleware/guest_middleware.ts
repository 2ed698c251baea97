import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { noStore } from '#kit/security'
import { preferredErrorFormat } from '#kit/errors'
import AlreadySignedInException from '#exceptions/already_signed_in_exception'

/**
 * Keeps signed-in users away from guest-only pages (the login form):
 * browsers are sent to `redirectTo` instead; API clients get a 409
 * E_ALREADY_SIGNED_IN in their format (a redirect would tell them
 * nothing, and could be taken for a sign-in that worked). Every response of such a page
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
      if (preferredErrorFormat(ctx) !== 'html') {
        throw new AlreadySignedInException()
      }
      return ctx.response.redirect(this.redirectTo, true)
    }
    return next()
  }
}
