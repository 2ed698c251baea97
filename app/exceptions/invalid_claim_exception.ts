import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import type { ClaimFailureReason } from '#claims/claim'
import { preferredErrorFormat } from '#errors/negotiate'
import { describeError } from '#errors/error_description'
import { sendErrorBody } from '#errors/send_error'
import { sendStatusPage } from '#errors/status_page'

/**
 * One failed claim validator.
 */
export type ClaimFailure = { id: string; requirement: string; reason: ClaimFailureReason }

/**
 * The signed-in user does not meet the route's claim validators (not an
 * admin, email not verified...). Nothing is cleared.
 *
 * Browsers get the 403 page listing the unmet requirements in plain
 * words; API clients get `claimValidationErrors: [{ id, reason }]`.
 */
export default class InvalidClaimException extends Exception {
  static status = 403
  static code = 'E_INVALID_CLAIM'

  constructor(readonly failures: ClaimFailure[]) {
    super('You do not meet the requirements of this page.')
  }

  async handle(error: this, ctx: HttpContext) {
    const description = describeError(error, ctx, {
      debug: !app.inProduction,
      details: {
        claimValidationErrors: error.failures.map(({ id, reason }) => ({ id, reason })),
      },
    })

    const format = preferredErrorFormat(ctx)
    if (format === 'html') {
      return sendStatusPage(ctx, 'errors/forbidden', description, {
        requirements: error.failures.map((failure) => failure.requirement),
      })
    }
    sendErrorBody(ctx, description, format)
  }
}
