import { STATUS_CODES } from 'node:http'

/**
 * Anything thrown, as the exception handler sees it after `toHttpError`:
 * an Error with a valid HTTP error status (400-599).
 */
export type HttpError = Error & {
  status: number
  code?: string
  handle?: (error: any, ctx: any) => any
  report?: (error: any, ctx: any) => any
  [key: string]: any
}

/**
 * Titles where Node.js has none (419) or an older name than the reason
 * phrase of RFC 9110, which the titles of `about:blank` problems must be.
 */
const EXTRA_TITLES: Record<number, string> = {
  413: 'Content Too Large',
  419: 'Page Expired',
  422: 'Unprocessable Content',
}

/**
 * True for the statuses an error response may use: an integer from 400
 * to 599. A thrown object with `status: 200`, `1000` or `'abc'` is not one.
 */
export function isErrorStatus(status: unknown): status is number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599
}

/**
 * The plain title of a status: "Not Found", "Internal Server Error"...
 */
export function statusTitle(status: number): string {
  return (
    EXTRA_TITLES[status] ??
    STATUS_CODES[status] ??
    (status >= 500 ? 'Server Error' : 'Client Error')
  )
}

/**
 * An error code made from a status: 404 gives "E_NOT_FOUND". Codes are
 * stable: they keep Node.js's names where RFC 9110 renamed a status
 * (413 stays E_PAYLOAD_TOO_LARGE, 422 E_UNPROCESSABLE_ENTITY).
 */
export function statusErrorCode(status: number): string {
  return `E_${(STATUS_CODES[status] ?? statusTitle(status))
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '')}`
}

/**
 * Turns anything thrown into an `HttpError`, the way the framework does,
 * but stricter: a value that is not an Error (a string, null, a plain
 * object) is wrapped, and a status outside 400-599 becomes 500, so an
 * invalid status is never sent. Errors are returned as they are when
 * their status is valid, so `instanceof` checks keep working.
 */
export function toHttpError(thrown: unknown): HttpError {
  if (thrown instanceof Error && !Object.isFrozen(thrown)) {
    const error = thrown as HttpError
    if (!isErrorStatus(error.status)) {
      error.status = 500
    }
    if (!error.message) {
      error.message = statusTitle(error.status)
    }
    return error
  }

  /**
   * Not an Error, or a frozen one (it cannot be given a status): wrapped,
   * keeping its message, status, code and stack (a non-Error value is kept
   * as the cause).
   */
  const source =
    typeof thrown === 'object' && thrown !== null ? (thrown as Record<string, any>) : {}
  const message =
    typeof source.message === 'string' && source.message
      ? source.message
      : thrown === null || thrown === undefined || typeof thrown === 'object'
        ? 'Internal Server Error'
        : String(thrown)

  /**
   * A wrapped Error is not set as the cause: loggers would print its
   * message twice ("message: message").
   */
  const error = new Error(
    message,
    thrown instanceof Error ? undefined : { cause: thrown }
  ) as HttpError
  error.status = isErrorStatus(source.status) ? source.status : 500
  if (typeof source.code === 'string') {
    error.code = source.code
  }
  if (typeof source.stack === 'string') {
    error.stack = source.stack
  }
  return error
}
