import { randomUUID } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Gives every request an id and puts it in the "x-request-id" response
 * header of every response, including the ones that bypass AdonisJS'
 * response object (static files). An incoming "x-request-id" header is
 * kept; otherwise the id is 32 random hex characters.
 *
 * The kit makes the ids here, with `generateRequestId` off in
 * "config/app.ts". It started doing so on AdonisJS 6, whose ids (cuid2, a
 * SHA-3 hash computed in JavaScript) cost more than anything else on a
 * small request. AdonisJS 7 makes its ids with `crypto.randomUUID()`, as
 * cheap as these; the kit's differ only in having no dashes, the format
 * "app/errors/bad_url.ts" uses too.
 *
 * The id is added to the bindings of `ctx.logger`, the child logger
 * AdonisJS made for this request alone, rather than to a second child
 * logger (pino builds each child's serializers and bindings anew).
 */
export default class RequestIdMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    let id = ctx.request.header('x-request-id')
    if (!id) {
      id = randomUUID().replaceAll('-', '')
      ctx.request.request.headers['x-request-id'] = id
      addRequestId(ctx.logger, id)
    }
    ctx.response.response.setHeader('x-request-id', id)
    return next()
  }
}

/**
 * Adds the request id to the bindings of the request's own logger.
 */
function addRequestId(logger: HttpContext['logger'], id: string) {
  if (logger.isEnabled) {
    logger.pino.setBindings({ request_id: id })
  }
}
