import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { noStore } from '#kit/security'

/**
 * Loads the signed-in user, when there is one, so that pages can show it
 * (`auth.user` in templates). It never denies a request. A response to a
 * signed-in user is `Cache-Control: no-store`: it may show who they are.
 */
export default class SilentAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    /**
     * A session without a user id has nobody to load. Asking the guard
     * anyway would build (and catch) an E_UNAUTHORIZED_ACCESS error, stack
     * trace included, on every signed-out request.
     */
    if (ctx.session.has(ctx.auth.use().sessionKeyName)) {
      await ctx.auth.check()
    }
    if (ctx.auth.user) {
      noStore(ctx.response)
    }
    return next()
  }
}
