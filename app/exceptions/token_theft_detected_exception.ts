import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import { preferredErrorFormat } from '#errors/negotiate'
import { describeError } from '#errors/error_description'
import { sendErrorBody } from '#errors/send_error'
import { redirectToLogin } from '#security/login_redirect'

/**
 * A session token that had already been rotated was used again outside
 * the grace window: two parties hold copies of the same session. Raised by
 * the session middleware AFTER it revoked every token of that sign-in and
 * cleared the cookie, so no custom response can skip those steps.
 *
 * Always reported (see `alwaysReportCodes` in the exception handler), with
 * the user and the session family, never a token.
 */
export default class TokenTheftDetectedException extends Exception {
  static status = 401
  static code = 'E_TOKEN_THEFT_DETECTED'
  static message = 'You were signed out to protect your account. Please sign in again.'

  constructor(
    readonly familyId: string,
    readonly userId: string | null
  ) {
    super(TokenTheftDetectedException.message)
  }

  async handle(error: this, ctx: HttpContext) {
    const format = preferredErrorFormat(ctx)
    if (format === 'html') {
      return redirectToLogin(ctx)
    }
    sendErrorBody(ctx, describeError(error, ctx, { debug: !app.inProduction }), format)
  }

  async report(error: this, ctx: HttpContext) {
    ctx.logger.warn(
      {
        event: 'session.theft_detected',
        code: error.code,
        userId: error.userId,
        sessionFamily: error.familyId,
        requestId: ctx.request.id(),
        ip: ctx.request.ip(),
        method: ctx.request.method(),
        path: ctx.request.url(),
      },
      'session token reuse detected; every session of this sign-in was revoked'
    )
  }
}
