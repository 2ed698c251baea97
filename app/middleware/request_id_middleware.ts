import { randomUUID } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Gives every request an id and puts it in the "x-request-id" response
 * header of every response, including the ones that bypass AdonisJS'
 * response object (static files). An incoming "x-request-id" header is
 * kept; otherwise the id is 32 random hex characters.
 *
 * The kit makes the ids here rather than with `generateRequestId` of
 * "config/app.ts": the framework's ids (cuid2, a SHA-3 hash computed in
 * JavaScript) cost more than anything else on a small request.
 */
export default class RequestIdMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    let id = ctx.request.header('x-request-id')
    if (!id) {
      id = randomUUID().replaceAll('-', '')
      ctx.request.request.headers['x-request-id'] = id
      ctx.logger = ctx.logger.child({ request_id: id })
    }
    ctx.response.response.setHeader('x-request-id', id)
    return next()
  }
}
