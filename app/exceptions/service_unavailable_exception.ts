import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import { preferredErrorFormat } from '#errors/negotiate'
import { describeError } from '#errors/error_description'
import { sendErrorBody } from '#errors/send_error'
import { sendStatusPage } from '#errors/status_page'
import { storeOutages } from '#errors/store_outages'
import { type StoreName, unavailableStore } from '#errors/unavailable_store'

/**
 * A store the request needs (Redis, the database) cannot be reached or
 * does not answer in time. Raised by the session middleware when the
 * session store fails, and made by the exception handler from any other
 * error that says so (see `toHttpError`).
 *
 * Browsers get the 503 page, API clients the error body; neither ever
 * shows the cause. Not reported by the handler (its code is in
 * `ignoreCodes`): `storeOutages` logs one line when an outage starts and
 * one when it ends, instead of one per request.
 */
export default class ServiceUnavailableException extends Exception {
  static status = 503
  static code = 'E_SERVICE_UNAVAILABLE'
  static message = 'The service is temporarily unavailable. Please try again in a moment.'

  /**
   * Seconds a client should wait before trying again (Retry-After).
   */
  static retryAfterSeconds = 5

  constructor(
    readonly store: StoreName,
    options?: { cause?: unknown }
  ) {
    super(ServiceUnavailableException.message, options)
  }

  /**
   * The exception for an error that says a store cannot be reached; null
   * for any other error.
   */
  static fromStoreError(error: unknown): ServiceUnavailableException | null {
    if (error instanceof ServiceUnavailableException) {
      return error
    }
    const store = unavailableStore(error)
    return store ? new ServiceUnavailableException(store, { cause: error }) : null
  }

  async handle(error: this, ctx: HttpContext) {
    storeOutages[error.store].failed(error.cause)

    ctx.response.header('retry-after', String(ServiceUnavailableException.retryAfterSeconds))
    const description = describeError(error, ctx, { debug: !app.inProduction })
    const format = preferredErrorFormat(ctx)
    if (format === 'html') {
      return sendStatusPage(ctx, 'errors/service_unavailable', description)
    }
    sendErrorBody(ctx, description, format)
  }
}
