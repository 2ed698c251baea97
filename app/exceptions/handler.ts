import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import string from '@adonisjs/core/helpers/string'
import { errors, type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import { errors as limiterErrors } from '@adonisjs/limiter'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import { type HttpError, toHttpError } from '#kit/errors/src/http_error'
import { bodyFaultError } from '#kit/errors/src/body_fault'
import { describeError } from '#kit/errors/src/error_description'
import { databaseErrorReport } from '#kit/errors/src/database_error'
import { preferredErrorFormat } from '#kit/errors/src/negotiate'
import { sendErrorBody } from '#kit/errors/src/send_error'
import { sendStatusPage } from '#kit/errors/src/status_page'
import { fallbackPage } from '#kit/errors/src/fallback_page'
import { ReportThrottle } from '#kit/errors/src/report_throttle'
import { debugModeWarning } from '#kit/errors/src/debug_mode'
import { redirectToLogin } from '#kit/sessions/src/login_redirect'
import { applyPagePolicy } from '#kit/security/src/page_policy'
import { StoreOutages } from '#kit/errors/src/store_outages'
import UnauthorizedException from '#kit/sessions/src/exceptions/unauthorized_exception'
import InvalidClaimException from '#kit/sessions/src/exceptions/invalid_claim_exception'
import TokenTheftDetectedException from '#kit/sessions/src/exceptions/token_theft_detected_exception'
import ServiceUnavailableException from '#kit/errors/src/exceptions/service_unavailable_exception'

type LogLevel = 'error' | 'warn' | 'info'

/**
 * Turns every error raised during an HTTP request into a response and a
 * log line. It follows the AdonisJS exception guide, with these
 * additions:
 *
 * - status pages go to browsers only; API clients get a body in the
 *   format they asked for (JSON, JSON:API or problem+json), with the same
 *   shape in development and production;
 * - 5xx responses never show the error's message, stack or code outside
 *   debug mode, and every message is HTML-escaped;
 * - anything thrown (a string, null, an object with `status: 200`)
 *   becomes a proper 500;
 * - identical reports are throttled, and security events are always
 *   reported.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  /**
   * Debug mode: Youch error pages for browsers and stack lines in JSON
   * bodies. Never turn it on in production (a warning is logged at boot
   * when it is).
   */
  protected debug = !app.inProduction

  /**
   * Render the status pages below for browsers. Off in development, where
   * debug mode shows the error itself.
   */
  protected renderStatusPages = app.inProduction

  /**
   * Edge templates (in `resources/views/errors/`) for error statuses,
   * shown to clients that want HTML. A code ('404') wins over a range
   * ('400..499'): the kit looks pages up itself (`statusPageFor`), since
   * the framework's lookup lets a range override a code it covers. A page
   * that fails to render is replaced by a static fallback page with the
   * same status.
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
   * (E_SERVICE_UNAVAILABLE, a store outage, is never logged per request:
   * `report` hands it to `StoreOutages`, which logs once per outage.)
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
   * Codes that are always reported, even when their status is ignored
   * above: security events someone must see. E_TOO_MANY_REQUESTS: a
   * throttled request (the form throttle's carry the form, the masked
   * email and the address). A token theft is reported by
   * `reportTokenTheft`, once per theft; failed sign-ins by the form
   * throttle (kit/security/src/form_throttle.ts).
   */
  protected alwaysReportCodes: string[] = ['E_TOO_MANY_REQUESTS']

  /**
   * Reports of one kind (same code, error class, status and route pattern)
   * beyond `limit` per `window` are not logged one by one: a single
   * "suppressed N similar errors" line per window stands for them. The
   * message is left out of the kind, since a client can vary it at will.
   */
  protected reportThrottle = { limit: 10, window: '1m' }

  constructor() {
    super()

    /**
     * Checked once the handler is fully built (after subclass fields).
     */
    setImmediate(() => {
      const warning = debugModeWarning(this.debug, app.nodeEnvironment)
      if (warning) {
        logger.warn(warning)
      }
    })

    /**
     * Report the suppressed counts of open windows at shutdown.
     */
    app.terminating(() => this.#throttle?.flush())
  }

  /**
   * Converts an error to a response. The session middleware's auth errors
   * go to the three hooks below; everything else goes the framework's way:
   * errors with their own `handle` method handle themselves, validation
   * errors go to `renderValidationError`, the rest to `renderError`. If
   * rendering fails, a static fallback response with the same status is
   * sent. Every error response carries the Content-Security-Policy and
   * its nonce, also when shield's middleware never ran (see
   * `applyPagePolicy`): error pages style themselves with that nonce.
   */
  async handle(error: unknown, ctx: HttpContext) {
    const httpError = this.toHttpError(error)

    try {
      await applyPagePolicy(ctx)
      if (httpError instanceof UnauthorizedException) {
        return await this.onUnauthorized(httpError, ctx)
      }
      if (httpError instanceof InvalidClaimException) {
        return await this.onInvalidClaim(httpError, ctx)
      }
      if (httpError instanceof TokenTheftDetectedException) {
        return await this.onTokenTheftDetected(httpError, ctx)
      }
      if (httpError instanceof ServiceUnavailableException) {
        ctx.response.header('retry-after', String(ServiceUnavailableException.retryAfterSeconds))
        return await this.respond(httpError, ctx)
      }

      /**
       * E_TOO_MANY_REQUESTS (429), from the form throttle or a route's
       * limiter middleware: its Retry-After and X-RateLimit-* headers, then
       * the 429 page or a body in the client's format (the limiter's own
       * `handle` would send plain text, or JSON of its own).
       */
      if (httpError instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
        const headers = httpError.headers ?? httpError.getDefaultHeaders()
        for (const [name, value] of Object.entries(headers)) {
          ctx.response.header(name, value)
        }
        return await this.respond(httpError, ctx)
      }

      /**
       * Shield's CSRF failure (403) and auth's wrong email or password
       * (E_INVALID_CREDENTIALS, 400) answer by flashing and redirecting
       * back, even to API clients (auth sends JSON clients a body of its
       * own). Browsers keep that (the sign-in form flashes its own way);
       * API clients get a body in their format.
       */
      if (
        (httpError.code === 'E_BAD_CSRF_TOKEN' || httpError.code === 'E_INVALID_CREDENTIALS') &&
        preferredErrorFormat(ctx) !== 'html'
      ) {
        return await this.respond(httpError, ctx)
      }
      return await super.handle(httpError, ctx)
    } catch (failure) {
      return this.renderFallback(httpError, failure, ctx)
    }
  }

  /*
  |--------------------------------------------------------------------------
  | The session middleware's auth errors
  |--------------------------------------------------------------------------
  |
  | Edit these three methods to change how the kit answers them. Each is
  | called after the security side effects have happened (the session's
  | auth state cleared, the stolen session's family revoked), so nothing you
  | write here can skip or weaken them.
  |
  */

  /**
   * E_UNAUTHORIZED (401): a protected route without a valid sign-in
   * (`error.reason`: missing, expired, revoked or invalid). The session's
   * auth state is already cleared. Browsers go to the login page, with a
   * notice when their session expired or was revoked; API clients get a
   * 401 body with the reason.
   */
  protected async onUnauthorized(error: UnauthorizedException, ctx: HttpContext) {
    if (preferredErrorFormat(ctx) === 'html') {
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
    return this.respond(error, ctx)
  }

  /**
   * E_INVALID_CLAIM (403): the user is signed in but fails a claim of the
   * route (`error.failures`: the failed validators, with their id, the
   * requirement in plain words and the reason). Nothing is cleared.
   * Browsers get the 403 page listing the unmet requirements; API clients
   * get `claimValidationErrors: [{ id, reason }]`.
   */
  protected async onInvalidClaim(error: InvalidClaimException, ctx: HttpContext) {
    return this.respond(error, ctx)
  }

  /**
   * E_TOKEN_THEFT_DETECTED (401): a rotated session token was used again.
   * Every session of that sign-in is already revoked, and the response
   * clears the session cookie (no new session is started). Browsers go to
   * the login page, whose `reason=theft` makes it say why; API clients get
   * a 401 body. `error.revokedNow` is true only for the one request that
   * detected the theft: put one-time actions (an email to
   * `error.userId`) behind it.
   */
  protected async onTokenTheftDetected(error: TokenTheftDetectedException, ctx: HttpContext) {
    if (preferredErrorFormat(ctx) === 'html') {
      return redirectToLogin(ctx, 'theft')
    }
    return this.respond(error, ctx)
  }

  /**
   * Answers an error that handles itself (through `respond()` of
   * kit/errors/src/respond.ts, or one of the hooks above) as the handler
   * answers the rest, with one difference: browsers get its status page
   * from `statusPages` even when `renderStatusPages` is off (in
   * development), since such errors are expected answers rather than
   * bugs to debug. API clients get a body in their format.
   */
  async respond(error: unknown, ctx: HttpContext) {
    const httpError = this.toHttpError(error)
    await applyPagePolicy(ctx)
    const format = preferredErrorFormat(ctx)
    if (format !== 'html') {
      return sendErrorBody(ctx, this.describe(httpError, ctx), format)
    }
    const statusPage = this.statusPageFor(httpError, { always: true })
    if (statusPage) {
      return statusPage(httpError, ctx)
    }
    return this.sendFallbackPage(httpError, ctx)
  }

  /**
   * Turns anything thrown into an error with a valid status: a string,
   * null, or an object with `status: 200` or `status: 'abc'` becomes a
   * 500 (see kit/errors/src/http_error.ts). An error saying that Redis or the
   * database cannot be reached, wherever the query was made, becomes
   * E_SERVICE_UNAVAILABLE: a 503, never a 500. A request body that does
   * not decompress, or whose Content-Encoding is unknown, is the client's
   * fault: a 400 or 415 (see kit/errors/src/body_fault.ts), never a 500.
   */
  protected toHttpError(error: unknown): HttpError {
    const unavailable = ServiceUnavailableException.fromStoreError(error)
    if (unavailable) {
      return unavailable as unknown as HttpError
    }
    return bodyFaultError(error) ?? toHttpError(error)
  }

  /**
   * Writes the error to the logs (or lets the error report itself). It
   * never throws: a failing reporter cannot break the response.
   */
  async report(error: unknown, ctx: HttpContext) {
    try {
      const httpError = this.toHttpError(error)
      if (httpError instanceof ServiceUnavailableException) {
        const outages = await ctx.containerResolver.make(StoreOutages)
        outages.failed(httpError.store, httpError.cause)
        return
      }
      if (httpError instanceof TokenTheftDetectedException) {
        return this.reportTokenTheft(httpError, ctx)
      }
      if (!this.shouldReport(httpError) || !this.passesThrottle(httpError, ctx)) {
        return
      }

      /**
       * Self-reported errors are awaited here (the framework does not await
       * them), so a report() that rejects is caught below.
       */
      if (typeof httpError.report === 'function') {
        await httpError.report(httpError, ctx)
        return
      }

      /**
       * A database error's message holds the SQL with its values (an
       * email, a password hash): its line says the code and the names of
       * what failed instead (the `err` serializer of config/logger.ts
       * leaves the rest out).
       */
      const database = databaseErrorReport(httpError)
      if (database) {
        const level = this.getErrorLogLevel(httpError)
        ctx.logger.log(level, { err: httpError, ...this.context(ctx) }, database.message)
        return
      }
      await super.report(httpError, ctx)
    } catch (failure) {
      ctx.logger.error({ err: failure }, 'could not report an error')
    }
  }

  /**
   * Fields added to every report: who, what and where (the request id is
   * on every line of `ctx.logger` already, as `request_id`). The path is
   * logged without its query string, which may hold tokens.
   */
  protected context(ctx: HttpContext) {
    return {
      userId: ctx.auth?.user?.id,
      ip: ctx.request.ip(),
      method: ctx.request.method(),
      path: ctx.request.url(),
    }
  }

  /**
   * Decides whether an error is reported. Codes in `alwaysReportCodes`
   * are, whatever their status.
   */
  protected shouldReport(error: HttpError) {
    if (error.code && this.alwaysReportCodes.includes(error.code)) {
      return this.reportErrors
    }
    return super.shouldReport(error)
  }

  /**
   * Reports a token theft once, as a security event (whatever
   * `ignoreStatuses` says), with the user and the session family, never a
   * token: only for the request that detected it (`revokedNow`).
   */
  protected reportTokenTheft(error: TokenTheftDetectedException, ctx: HttpContext) {
    if (!this.reportErrors || !error.revokedNow) {
      return
    }
    ctx.logger.warn(
      {
        event: 'session.theft_detected',
        code: error.code,
        sessionFamily: error.familyId,
        ...this.context(ctx),
        userId: error.userId,
      },
      'session token reuse detected; every session of this sign-in was revoked'
    )
  }

  /**
   * Renders the error for the client's format: HTML, JSON:API,
   * problem+json or JSON.
   */
  async renderError(error: HttpError, ctx: HttpContext) {
    switch (preferredErrorFormat(ctx)) {
      case 'jsonapi':
        return this.renderErrorAsJSONAPI(error, ctx)
      case 'problem':
        return this.renderErrorAsProblem(error, ctx)
      case 'json':
        return this.renderErrorAsJSON(error, ctx)
      default:
        return this.renderErrorAsHTML(error, ctx)
    }
  }

  /**
   * `{ errors: [{ status, code, message }], requestId }`
   */
  async renderErrorAsJSON(error: HttpError, ctx: HttpContext) {
    sendErrorBody(ctx, this.describe(error, ctx), 'json')
  }

  /**
   * `{ errors: [{ status, code, title, detail }], meta: { requestId } }`
   */
  async renderErrorAsJSONAPI(error: HttpError, ctx: HttpContext) {
    sendErrorBody(ctx, this.describe(error, ctx), 'jsonapi')
  }

  /**
   * RFC 9457: `{ type, title, status, detail, instance, code, requestId }`
   */
  async renderErrorAsProblem(error: HttpError, ctx: HttpContext) {
    sendErrorBody(ctx, this.describe(error, ctx), 'problem')
  }

  /**
   * The status page for the error's status when there is one (see
   * `statusPages`); otherwise Youch in debug mode, or an escaped,
   * self-contained page. Only clients that want HTML get here: API
   * clients get a body in their format, status pages or not.
   */
  async renderErrorAsHTML(error: HttpError, ctx: HttpContext) {
    const statusPage = this.statusPageFor(error)
    if (statusPage) {
      return statusPage(error, ctx)
    }
    if (this.isDebuggingEnabled(ctx)) {
      return super.renderErrorAsHTML(error, ctx)
    }
    return this.sendFallbackPage(error, ctx)
  }

  /**
   * Validation errors: HTML forms are redirected back with the errors and
   * the old input flashed; API clients get one entry per invalid field.
   */
  async renderValidationError(error: HttpError, ctx: HttpContext) {
    switch (preferredErrorFormat(ctx)) {
      case 'jsonapi':
        return this.renderValidationErrorAsJSONAPI(error, ctx)
      case 'problem':
        return this.renderErrorAsProblem(error, ctx)
      case 'json':
        return this.renderValidationErrorAsJSON(error, ctx)
      default:
        return this.renderValidationErrorAsHTML(error, ctx)
    }
  }

  /**
   * `{ errors: [{ status, code, message, field, rule }], requestId }`
   */
  async renderValidationErrorAsJSON(error: HttpError, ctx: HttpContext) {
    sendErrorBody(ctx, this.describe(error, ctx), 'json')
  }

  /**
   * `{ errors: [{ status, code, title, detail, source: { pointer } }], meta }`
   */
  async renderValidationErrorAsJSONAPI(error: HttpError, ctx: HttpContext) {
    sendErrorBody(ctx, this.describe(error, ctx), 'jsonapi')
  }

  /**
   * With a session, the session package flashes the errors and redirects
   * back. Without one, an escaped page instead of the framework's raw
   * "field - message" list.
   */
  async renderValidationErrorAsHTML(error: HttpError, ctx: HttpContext) {
    if (ctx.session) {
      return super.renderValidationErrorAsHTML(error, ctx)
    }
    return this.renderErrorAsHTML(error, ctx)
  }

  /**
   * Renders a status page template (see `statusPages`). The 403 page of
   * E_INVALID_CLAIM lists the unmet requirements (and offers a new
   * verification link when the email is not verified).
   */
  protected renderStatusPage(template: string, error: unknown, ctx: HttpContext) {
    const httpError = this.toHttpError(error)
    if (!(httpError instanceof InvalidClaimException)) {
      return sendStatusPage(ctx, template, this.describe(httpError, ctx))
    }
    return sendStatusPage(ctx, template, this.describe(httpError, ctx), {
      requirements: httpError.failures.map((failure) => failure.requirement),
      resendVerification: this.resendVerificationForm(httpError, ctx),
    })
  }

  /**
   * The 403 page of an unverified email address offers a new verification
   * link: the form's target and CSRF token (none outside a request that
   * went through shield).
   */
  protected resendVerificationForm(error: InvalidClaimException, ctx: HttpContext) {
    const unverified = error.failures.some((failure) => failure.id === 'email-verified')
    const csrfToken = ctx.request.csrfToken
    return unverified && csrfToken ? { action: '/verify-email/resend', csrfToken } : null
  }

  /**
   * The safe description of an error that every response is built from,
   * with the extra members some errors add to their bodies.
   */
  protected describe(error: HttpError, ctx: HttpContext) {
    return describeError(error, ctx, {
      debug: this.isDebuggingEnabled(ctx),
      details: this.details(error),
    })
  }

  /**
   * Extra members of an error's body: the `reason` of E_UNAUTHORIZED and
   * the failed validators of E_INVALID_CLAIM.
   */
  protected details(error: HttpError): Record<string, unknown> | undefined {
    if (error instanceof UnauthorizedException) {
      return { reason: error.reason }
    }
    if (error instanceof InvalidClaimException) {
      return {
        claimValidationErrors: error.failures.map(({ id, reason }) => ({ id, reason })),
      }
    }
    return undefined
  }

  /**
   * The status page for a status: its own code first, then a range. None
   * when `renderStatusPages` is off, unless `always` (see `respond`).
   */
  protected statusPageFor(
    error: HttpError,
    options: { always?: boolean } = {}
  ): StatusPageRenderer | undefined {
    if (!this.renderStatusPages && !options.always) {
      return undefined
    }
    const pages = this.statusPages as Record<string, StatusPageRenderer>
    if (pages[error.status]) {
      return pages[error.status]
    }
    const range = Object.keys(pages).find((key) => {
      const [from, to] = key.split('..').map(Number)
      return to !== undefined && error.status >= from && error.status <= to
    })
    return range ? pages[range] : undefined
  }

  /**
   * The escaped, self-contained error page (no template, no stack).
   */
  protected sendFallbackPage(error: HttpError, ctx: HttpContext) {
    ctx.response.status(error.status).header('content-type', 'text/html; charset=utf-8')
    ctx.response.send(fallbackPage(this.describe(error, ctx), ctx.response.nonce))
  }

  /**
   * Last resort when rendering the error failed: log it and send a static
   * response with the original status.
   */
  protected renderFallback(error: HttpError, failure: unknown, ctx: HttpContext) {
    ctx.logger.error(
      { err: failure, status: error.status },
      'could not render an error response; sent the fallback response'
    )
    const description = describeError(error, ctx, { debug: false })
    const format = preferredErrorFormat(ctx)
    if (format !== 'html') {
      return sendErrorBody(ctx, description, format)
    }
    ctx.response.status(error.status).header('content-type', 'text/html; charset=utf-8')
    ctx.response.send(fallbackPage(description, ctx.response.nonce))
  }

  #throttle?: ReportThrottle<{ level: LogLevel; fields: Record<string, unknown> }>

  /**
   * Counts a report against `reportThrottle`; false when it is one of
   * the suppressed duplicates.
   */
  protected passesThrottle(error: HttpError, ctx: HttpContext) {
    this.#throttle ??= new ReportThrottle(
      {
        limit: this.reportThrottle.limit,
        windowMs: string.milliseconds.parse(this.reportThrottle.window),
      },
      ({ level, fields }, suppressed) => {
        logger.log(level, { ...fields, suppressed }, `suppressed ${suppressed} similar errors`)
      }
    )

    const route = ctx.route?.pattern ?? '(no route)'
    const key = [error.code, error.name, error.status, route].join('|')
    return this.#throttle.allow(key, {
      level: this.getErrorLogLevel(error) as LogLevel,
      fields: { code: error.code, status: error.status, route },
    })
  }
}
