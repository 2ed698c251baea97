import app from '@adonisjs/core/services/app'
import { compose } from '@adonisjs/core/helpers'
import { errors, type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import { ErrorResponses, preferredErrorFormat } from '#kit/errors'
import {
  SessionErrors,
  redirectToLogin,
  type UnauthorizedException,
  type InvalidClaimException,
  type TokenTheftDetectedException,
} from '#kit/sessions'
import { emailVerified } from '#claims/email_verified_claim'
import { mfa } from '#claims/mfa_claim'
import { recentAuth } from '#claims/recent_auth_claim'
import { pageToReturnTo } from '#kit/security'

/**
 * Turns every error of an HTTP request into a response and a log line:
 * the framework's handler, with the kit's error responses (kit/errors/
 * README.md) and the session middleware's auth errors, which go to the
 * three hooks below.
 */
export default class HttpExceptionHandler extends compose(
  ExceptionHandler,
  ErrorResponses,
  SessionErrors
) {
  /**
   * Debug mode: Youch error pages and stack lines in JSON bodies. Never on
   * in production (a warning is logged at boot when it is).
   */
  protected debug = !app.inProduction

  /**
   * Render the status pages below for browsers. Off in development, where
   * debug mode shows the error itself.
   */
  protected renderStatusPages = app.inProduction

  /**
   * Edge templates (`resources/views/errors/`) for clients that want HTML.
   * A code ('404') wins over a range ('400..499'). A page that fails to
   * render is replaced by a static fallback page with the same status.
   */
  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '401': (error, ctx) => this.renderStatusPage('errors/unauthorized', error, ctx),
    '403': (error, ctx) => this.renderStatusPage('errors/forbidden', error, ctx),
    '404': (error, ctx) => this.renderStatusPage('errors/not_found', error, ctx),
    '419': (error, ctx) => this.renderStatusPage('errors/page_expired', error, ctx),
    '429': (error, ctx) => this.renderStatusPage('errors/too_many_requests', error, ctx),
    '503': (error, ctx) => this.renderStatusPage('errors/service_unavailable', error, ctx),
    '400..499': (error, ctx) => this.renderStatusPage('errors/client_error', error, ctx),
    '500..599': (error, ctx) => this.renderStatusPage('errors/server_error', error, ctx),
  }

  /**
   * Turn reporting off entirely (nothing is logged by this handler).
   */
  protected reportErrors = true

  /**
   * Statuses that are not reported: expected client mistakes (bad input,
   * missing sign-in, validation failures).
   */
  protected ignoreStatuses = [400, 401, 422]

  /**
   * Error codes that are not reported, for example 'E_ROW_NOT_FOUND'.
   */
  protected ignoreCodes: string[] = []

  /**
   * Exception classes that are not reported: unknown routes, `abort()`
   * helpers and requests the client aborted.
   */
  protected ignoreExceptions = [
    errors.E_HTTP_EXCEPTION,
    errors.E_ROUTE_NOT_FOUND,
    errors.E_CANNOT_LOOKUP_ROUTE,
    errors.E_HTTP_REQUEST_ABORTED,
  ]

  /**
   * Codes always reported, even when their status is ignored: security
   * events someone must see (a throttled request).
   */
  protected alwaysReportCodes: string[] = ['E_TOO_MANY_REQUESTS']

  /**
   * Reports of one kind (same code, error class, status and route) beyond
   * `limit` per `window` are not logged one by one: one "suppressed N
   * similar errors" line per window stands for them.
   */
  protected reportThrottle = { limit: 10, window: '1m' }

  /**
   * E_UNAUTHORIZED (401): a protected route without a valid sign-in
   * (`error.reason`: missing, expired, revoked or invalid); the session's
   * auth state is already cleared. Browsers go to the login page, with a
   * notice when their session expired or was revoked (not otherwise:
   * flashing would store a session per bot request); API clients get a 401.
   */
  protected async onUnauthorized(error: UnauthorizedException, ctx: HttpContext) {
    if (preferredErrorFormat(ctx) === 'html') {
      if (error.reason === 'expired' || error.reason === 'revoked') {
        ctx.session?.flash('notice', error.message)
      }
      return redirectToLogin(ctx)
    }
    return this.respond(error, ctx)
  }

  /**
   * E_INVALID_CLAIM (403): the user is signed in but fails a claim of the
   * route (`error.failures`). Browsers get the 403 page listing the unmet
   * requirements, and a form for a new link when the email is not
   * verified; API clients get `claimValidationErrors: [{ id, reason }]`.
   * A browser whose session lacks the second factor (`mfa`) goes to the
   * challenge, one without a recent proof (`recent-auth`) to the confirm
   * page, and back after it (`pageToReturnTo`: the page, or the form's).
   */
  protected async onInvalidClaim(error: InvalidClaimException, ctx: HttpContext) {
    const fails = (id: string) => error.failures.some((failure) => failure.id === id)
    if (preferredErrorFormat(ctx) === 'html') {
      if (fails(mfa.id)) {
        return ctx.response.redirect().toPath(mfa.challengeUrl(pageToReturnTo(ctx)))
      }
      if (fails(recentAuth.id)) {
        return ctx.response.redirect().toPath(recentAuth.confirmUrl(pageToReturnTo(ctx)))
      }
    }
    const csrfToken = ctx.request.csrfToken
    return this.respond(error, ctx, {
      resendVerification:
        fails(emailVerified.id) && csrfToken
          ? { action: emailVerified.resendPath, csrfToken }
          : null,
    })
  }

  /**
   * E_TOKEN_THEFT_DETECTED (401): a rotated session token was used again;
   * every session of that sign-in is already revoked and the cookie
   * cleared. Browsers go to the login page (`reason=theft` says why), API
   * clients get a 401. `error.revokedNow` is true only for the request
   * that detected it: put one-time actions (a mail to `error.userId`) behind it.
   */
  protected async onTokenTheftDetected(error: TokenTheftDetectedException, ctx: HttpContext) {
    if (preferredErrorFormat(ctx) === 'html') {
      return redirectToLogin(ctx, 'theft')
    }
    return this.respond(error, ctx)
  }

  /**
   * Fields added to every report: who, what and where (the request id is
   * on every line of `ctx.logger` already). The path is logged without
   * its query string, which may hold tokens.
   */
  protected context(ctx: HttpContext) {
    return {
      userId: ctx.auth?.user?.id,
      ip: ctx.request.ip(),
      method: ctx.request.method(),
      path: ctx.request.url(),
    }
  }
}
