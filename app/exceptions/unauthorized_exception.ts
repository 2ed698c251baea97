import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import { preferredErrorFormat } from '#errors/negotiate'
import { describeError } from '#errors/error_description'
import { sendErrorBody } from '#errors/send_error'
import { redirectToLogin } from '#security/login_redirect'

/**
 * Why a request was not signed in.
 */
export type UnauthorizedReason = 'missing' | 'expired' | 'revoked' | 'invalid'

/**
 * What the user is told, by reason.
 */
export const UNAUTHORIZED_MESSAGES: Record<UnauthorizedReason, string> = {
  missing: 'Please sign in to continue.',
  expired: 'Your session has expired. Please sign in again.',
  revoked: 'Your session has ended. Please sign in again.',
  invalid: 'Please sign in to continue.',
}

/**
 * A protected route was requested without a valid signed-in session (none,
 * expired, revoked or tampered). Raised by the auth middleware after it
 * cleared the session's auth state.
 *
 * Browsers are sent to the login page (with a flash message when their
 * session expired or was revoked); API clients get a 401 body in their
 * format, with the `reason`.
 */
export default class UnauthorizedException extends Exception {
  static status = 401
  static code = 'E_UNAUTHORIZED'

  constructor(readonly reason: UnauthorizedReason = 'missing') {
    super(UNAUTHORIZED_MESSAGES[reason])
  }

  async handle(error: this, ctx: HttpContext) {
    const format = preferredErrorFormat(ctx)
    if (format === 'html') {
      /**
       * Visitors without a session (or with a cookie the server never
       * issued) read "Please sign in to continue." on the login page
       * itself: flashing it would store a session for each such request,
       * and bots send plenty.
       */
      if (error.reason === 'expired' || error.reason === 'revoked') {
        ctx.session?.flash('notice', error.message)
      }
      return redirectToLogin(ctx)
    }

    const description = describeError(error, ctx, {
      debug: !app.inProduction,
      details: { reason: error.reason },
    })
    sendErrorBody(ctx, description, format)
  }
}
