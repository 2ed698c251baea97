import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

declare module '@adonisjs/core/http' {
  interface HttpContext {
    /**
     * When the request arrived (ms since the epoch): once its headers
     * were read, before its body. Undefined outside the HTTP server.
     */
    arrivedAt?: number
  }
}

/**
 * Notes when each request arrived. It runs first, before the body parser
 * reads the body, so a slow upload is judged by when it started: the
 * session middleware checks the cookie's token (grace window, theft) as
 * of that time, not as of when the body finished.
 */
export default class ArrivalTimeMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    ctx.arrivedAt = Date.now()
    return next()
  }
}
