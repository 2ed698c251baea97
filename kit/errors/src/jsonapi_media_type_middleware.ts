import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { JSONAPI_MEDIA_TYPE, jsonApiMediaTypeFault } from '#kit/errors/src/negotiate'
import MediaTypeException from '#kit/errors/src/exceptions/media_type_exception'

/**
 * JSON:API's "Server Responsibilities", before the body is read: a request
 * body sent as the JSON:API media type with parameters other than `ext`
 * and `profile` (or an unsupported extension) gets 415 with
 * `Accept: application/vnd.api+json`; an Accept header whose every
 * JSON:API media type is such gets 406. Requests that name no JSON:API
 * media type pass after one substring search per header.
 */
export default class JsonApiMediaTypeMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const headers = ctx.request.request.headers
    const fault = jsonApiMediaTypeFault(headers.accept, headers['content-type'])
    if (fault === 415) {
      ctx.response.header('accept', JSONAPI_MEDIA_TYPE)
    }
    if (fault) {
      throw new MediaTypeException(fault)
    }
    return next()
  }
}
