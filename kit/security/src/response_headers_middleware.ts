import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import logger from '@adonisjs/core/services/logger'
import { requestIdFrom } from '#kit/errors'

/**
 * The headers every response carries, whatever answers it (a route, an
 * error, a static file): set on AdonisJS' response, which writes them with
 * the rest in one `writeHead` (the static files middleware copies them onto
 * the file it sends). Headers set on the Node response instead would send
 * every answer down Node's slower merge of two header sets.
 *
 * - `x-request-id`, the request's id. An incoming "x-request-id" header
 *   is kept when it is short and safe (at most 128 of `A-Z a-z 0-9 . _ : -`,
 *   see "kit/errors/src/request_id.ts"); otherwise the id is 32 random
 *   hex characters, so a client cannot bloat or forge the ids in the logs.
 *   With `generateRequestId` on and `createRequestId: newRequestId` in
 *   "config/app.ts", AdonisJS makes the id with the request's context and
 *   the request's logger carries it from the start; without that setting
 *   (an app that turned it off), the id made here is added to the bindings
 *   of `ctx.logger`, the child logger AdonisJS made for this request alone.
 * - `Referrer-Policy`, from the security config (shield has no such guard).
 *
 * One middleware for both: each server middleware costs every request,
 * unknown URLs included, a container lookup and a step of the chain.
 * One instance per app, made by the security provider.
 */
export default class ResponseHeadersMiddleware {
  constructor(readonly referrerPolicy: string) {}

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
    ctx.response.header('x-request-id', id)
    ctx.response.header('referrer-policy', this.referrerPolicy)
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
