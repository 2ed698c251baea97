import type { HttpContext } from '@adonisjs/core/http'
import { type HttpError, statusErrorCode, statusTitle } from '#kit/errors/src/http_error'

/**
 * One problem in an error response. A plain error has one; a validation
 * error has one per invalid field (with `field` and `rule`).
 */
export type ErrorEntry = {
  status: number
  code: string
  message: string
  field?: string
  rule?: string
  meta?: Record<string, unknown>
}

/**
 * Everything an error response may say, already made safe: the JSON,
 * JSON:API, problem+json bodies and the HTML pages are all built from it.
 */
export type ErrorDescription = {
  status: number
  code: string
  title: string
  /**
   * Shown to the client. For a 5xx outside debug mode, the generic title:
   * the real message may hold internals (SQL, paths, hosts).
   */
  message: string
  requestId?: string
  /**
   * The request path as the client sent it (percent-encoded), without the
   * query string.
   */
  path: string
  errors: ErrorEntry[]
  /**
   * Extra members an exception adds to its body (for example the failed
   * claim validators of E_INVALID_CLAIM).
   */
  details?: Record<string, unknown>
  /**
   * Members an exception adds at the top level of its plain JSON body,
   * next to `errors` and `requestId` (which they cannot replace): the
   * shape a client written for another server reads (SuperTokens'
   * `message` and `claimValidationErrors` on E_INVALID_CLAIM). JSON only:
   * JSON:API allows no other top-level member, and problem+json already
   * has `details` at its top level.
   */
  jsonMembers?: Record<string, unknown>
  /**
   * Stack lines, in debug mode only.
   */
  stack?: string[]
}

/**
 * Error codes that are safe to show: the `E_SOMETHING` codes of AdonisJS
 * and of this app. Driver codes (SQLITE_CONSTRAINT, ECONNREFUSED...) say
 * too much and are replaced by a code made from the status.
 */
const PUBLIC_CODE = /^E_[A-Z0-9_]+$/

/**
 * Describes an error for a response.
 */
export function describeError(
  error: HttpError,
  ctx: HttpContext,
  options: {
    debug: boolean
    details?: Record<string, unknown>
    jsonMembers?: Record<string, unknown>
  }
): ErrorDescription {
  const status = error.status
  const title = statusTitle(status)
  const code = error.code && PUBLIC_CODE.test(error.code) ? error.code : statusErrorCode(status)
  const message = status >= 500 && !options.debug ? title : error.message

  const errors: ErrorEntry[] = isValidationError(error)
    ? error.messages.map((entry) => ({
        status,
        code,
        message: String(entry.message),
        field: String(entry.field),
        rule: String(entry.rule),
        ...(entry.meta ? { meta: entry.meta } : {}),
      }))
    : [{ status, code, message }]

  return {
    status,
    code,
    title,
    message,
    requestId: ctx.request.id(),
    path: requestPath(ctx),
    errors,
    ...(options.details ? { details: options.details } : {}),
    ...(options.jsonMembers ? { jsonMembers: options.jsonMembers } : {}),
    ...(options.debug && error.stack ? { stack: stackLines(error) } : {}),
  }
}

/**
 * True for vine's E_VALIDATION_ERROR (and any error shaped like it).
 */
export function isValidationError(error: HttpError): error is HttpError & {
  messages: { field: string; rule: string; message: string; meta?: any }[]
} {
  return error.code === 'E_VALIDATION_ERROR' && Array.isArray(error.messages)
}

/**
 * The path of the request target as sent, without the query string or a
 * fragment.
 */
function requestPath(ctx: HttpContext) {
  const target = ctx.request.request.url ?? ctx.request.url()
  const end = target.search(/[?#]/)
  return end === -1 ? target : target.slice(0, end)
}

function stackLines(error: Error) {
  return (error.stack ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
}
