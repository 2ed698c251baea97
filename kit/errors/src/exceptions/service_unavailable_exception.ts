import { Exception } from '@adonisjs/core/exceptions'
import { type StoreName, unavailableStore } from '#kit/errors/src/unavailable_store'

/**
 * A store the request needs (Redis, the database) cannot be reached or
 * does not answer in time. Raised by the session middleware when the
 * session store fails, and made by the exception handler from any other
 * error that says so (see `toHttpError` in app/exceptions/handler.ts).
 *
 * Browsers get the 503 page, API clients the error body, with a
 * Retry-After header; neither ever shows the cause. The handler reports
 * it to `StoreOutages` (kit/errors/src/store_outages.ts), which logs one
 * line when an outage starts and one when it ends, instead of one per
 * request.
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
}
