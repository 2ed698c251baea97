import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import logger from '@adonisjs/core/services/logger'
import { requestIdFrom } from '#kit/errors'

/**
 * Gives every request an id and puts it in the "x-request-id" response
 * header of every response, including the ones that bypass AdonisJS'
 * response object (static files). An incoming "x-request-id" header is
 * kept when it is short and safe (at most 128 of `A-Z a-z 0-9 . _ : -`,
 * see "kit/errors/src/request_id.ts"); otherwise the id is 32 random hex
 * characters, so a client cannot bloat or forge the ids in the logs.
 *
 * The kit makes the ids here, with `generateRequestId` off in
 * "config/app.ts". It started doing so on AdonisJS 6, whose ids (cuid2, a
 * SHA-3 hash computed in JavaScript) cost more than anything else on a
 * small request. AdonisJS 7 makes its ids with `crypto.randomUUID()`, as
 * cheap as these; the kit's differ only in having no dashes, the format
 * "kit/errors/src/bad_url.ts" uses too.
 *
 * For a request without the header, the id is added to the bindings of
 * `ctx.logger`, the child logger AdonisJS made for this request alone,
 * rather than put in a second child logger (pino builds each child's
 * serializers and bindings anew).
 */
export default class RequestIdMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const incoming = ctx.request.header('x-request-id')
    const id = requestIdFrom(incoming)
    if (id !== incoming) {
      /**
       * The request's logger was made with the incoming header, if any.
       * Without one, it has no id yet and is given this one. With a refused
       * one, a new child of the app logger carries the new id instead.
       */
      ctx.request.request.headers['x-request-id'] = id
      if (incoming === undefined) {
        addRequestId(ctx.logger, id)
      } else {
        ctx.logger = logger.child({ request_id: id })
      }
    }
    ctx.response.response.setHeader('x-request-id', id)
    return next()
  }
}

/**
 * Adds the request id to the bindings of the request's own logger.
 */
function addRequestId(requestLogger: HttpContext['logger'], id: string) {
  if (requestLogger.isEnabled) {
    requestLogger.pino.setBindings({ request_id: id })
  }
}
