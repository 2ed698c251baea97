import type { HttpContext } from '@adonisjs/core/http'
import type { ErrorDescription } from '#kit/errors/src/error_description'
import { ERROR_CONTENT_TYPES, type ErrorFormat } from '#kit/errors/src/negotiate'
import { errorBody } from '#kit/errors/src/error_bodies'

/**
 * Sends an error body in one of the JSON formats, with its status and
 * content type.
 */
export function sendErrorBody(
  ctx: HttpContext,
  error: ErrorDescription,
  format: Exclude<ErrorFormat, 'html'>
) {
  ctx.response.status(error.status)
  ctx.response.header('content-type', ERROR_CONTENT_TYPES[format])
  ctx.response.send(errorBody(error, format))
}
