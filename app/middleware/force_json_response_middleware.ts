import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * For API routes (under `/api/`): a request that accepts anything (no
 * Accept header, or `*\/*`) is answered in JSON, errors included, even
 * errors raised before the route's own middleware (a stolen session
 * token). Clients that ask for JSON:API or problem+json still get those.
 */
export default class ForceJsonResponseMiddleware {
  /**
   * Paths starting with this prefix are API routes.
   */
  prefix = '/api/'

  handle(ctx: HttpContext, next: NextFn) {
    const accept = ctx.request.header('accept')
    if (ctx.request.url().startsWith(this.prefix) && (!accept || accept.trim() === '*/*')) {
      ctx.request.request.headers.accept = 'application/json'
    }
    return next()
  }
}
