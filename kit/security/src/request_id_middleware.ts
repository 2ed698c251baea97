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
 * With `generateRequestId` on and `createRequestId: newRequestId` in
 * "config/app.ts", AdonisJS makes the id when it makes the request's
 * context, and the request's logger carries it from the start; this
 * middleware only checks an incoming id and sends the id back. Without
 * that setting (an app that turned it off), the id made here is added to
 * the bindings of `ctx.logger`, the child logger AdonisJS made for this
 * request alone, rather than put in a second child logger.
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
