import { Exception } from '@adonisjs/core/exceptions'
import type { HttpContext } from '@adonisjs/core/http'
import { respond } from '#exceptions/respond'

/**
 * Payment Required (402). Throw it with its default message or your own:
 * "throw new PaymentProbeException()" or "throw new PaymentProbeException('...')".
 */
export default class PaymentProbeException extends Exception {
  static status = 402
  static code = 'E_PAYMENT_PROBE'
  static message = 'It\'s "over"'

  /**
   * Answers the error as app/exceptions/handler.ts answers every error:
   * its status page for browsers (the one its "statusPages" has for
   * 402 when the request comes in), a JSON, JSON:API or problem+json
   * body for API clients, with stack lines only in its debug mode. Add your
   * own steps (a flash message, a header) before the return.
   */
  async handle(error: this, ctx: HttpContext) {
    return respond(error, ctx)
  }

  /**
   * Logs the error ("warn" level) with the request context that
   * app/exceptions/handler.ts adds to its own reports (the request id is on
   * every line of ctx.logger already). The handler calls it for the errors
   * it reports: not for its "ignoreStatuses" (400, 401, 422) nor past its
   * report throttle.
   */
  async report(error: this, ctx: HttpContext) {
    ctx.logger.warn(
      {
        code: error.code,
        userId: ctx.auth?.user?.id,
        ip: ctx.request.ip(),
        method: ctx.request.method(),
        path: ctx.request.url(),
      },
      error.message
    )
  }
}
