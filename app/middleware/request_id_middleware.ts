import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Puts the request id in the "x-request-id" response header of every
 * response, including the ones that bypass AdonisJS' response object
 * (static files). The id comes from the incoming header or is generated
 * (`generateRequestId` in "config/app.ts").
 */
export default class RequestIdMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const id = ctx.request.id()
    if (id) {
      ctx.response.response.setHeader('x-request-id', id)
    }
    return next()
  }
}
