import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * For API routes: a request that accepts anything (no Accept header, or
 * `*\/*`) is answered in JSON, errors included. Clients that ask for
 * JSON:API or problem+json still get those.
 */
export default class ForceJsonResponseMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const accept = ctx.request.header('accept')
    if (!accept || accept.trim() === '*/*') {
      ctx.request.request.headers.accept = 'application/json'
    }
    return next()
  }
}
