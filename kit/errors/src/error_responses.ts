import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import string from '@adonisjs/core/helpers/string'
import { errors as httpErrors, type HttpContext, type ExceptionHandler } from '@adonisjs/core/http'
import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'
import type { StatusPageRenderer } from '@adonisjs/core/types/http'
import { errors as limiterErrors } from '@adonisjs/limiter'
import { type HttpError, toHttpError } from '#kit/errors/src/http_error'
import { bodyFaultError } from '#kit/errors/src/body_fault'
import { describeError } from '#kit/errors/src/error_description'
import { databaseErrorReport } from '#kit/errors/src/database_error'
import { preferredErrorFormat } from '#kit/errors/src/negotiate'
import {
  challengeUnauthorized,
  prepareErrorResponse,
  sendError,
  sendStatusPage,
} from '#kit/errors/src/responder'
import type { StatusPageExtra } from '#kit/errors/src/status_page'
import { type ErrorPagePolicy, resolvePagePolicy } from '#kit/errors/src/page_policy'
import { ReportThrottle } from '#kit/errors/src/report_throttle'
import { debugModeWarning } from '#kit/errors/src/debug_mode'
import { StoreOutages } from '#kit/errors/src/store_outages'
import ServiceUnavailableException from '#kit/errors/src/exceptions/service_unavailable_exception'
import MethodNotAllowedException from '#kit/errors/src/exceptions/method_not_allowed_exception'
import { allowedMethods, routedMethods } from '#kit/errors/src/allowed_methods'

type LogLevel = 'error' | 'warn' | 'info'

/**
 * The kit's error responses, as a mixin of the framework's
 * `ExceptionHandler` (`compose(ExceptionHandler, ErrorResponses)` in
 * app/exceptions/handler.ts). It follows the AdonisJS exception guide,
 * with these additions:
 *
 * - status pages go to browsers only; API clients get a body in the
 *   format they asked for (JSON, JSON:API or problem+json), with the same
 *   shape in development and production;
 * - 5xx responses never show the error's message, stack or code outside
 *   debug mode, and every message is HTML-escaped;
 * - anything thrown (a string, null, an object with `status: 200`)
 *   becomes a proper 500; a store outage a 503, a body fault a 400/415;
 * - identical reports are throttled, and security events are always
 *   reported; a store outage is logged once per outage;
 * - when rendering fails, a static fallback response with the same
 *   status is sent.
 *
 * Every response is written by the responder (kit/errors/src/responder.ts).
 */
export function ErrorResponses<T extends NormalizeConstructor<typeof ExceptionHandler>>(
  superclass: T
) {
  class ErrorResponsesHandler extends superclass {
    /**
     * Codes always reported, even when their status is ignored.
     */
    protected alwaysReportCodes: string[] = ['E_TOO_MANY_REQUESTS']

    /**
     * Reports of one kind beyond `limit` per `window` are counted, not
     * logged one by one.
     */
    protected reportThrottle = { limit: 10, window: '1m' }

    #throttle?: ReportThrottle<{ level: LogLevel; fields: Record<string, unknown> }>

    /**
     * What the app's hooks add to a status page (see `respond`), per
     * request.
     */
    #pageExtras = new WeakMap<HttpContext, StatusPageExtra>()

    /**
     * The page policy (a container singleton), resolved once by this
     * handler instead of on every error response.
     */
    #pagePolicy?: Promise<ErrorPagePolicy | undefined>

    /**
     * The methods the app has routes for, read once from the router (it is
     * committed before the first request), for the 405 check of a 404.
     */
    #routedMethods?: string[]

    #pagePolicyFor(ctx: HttpContext) {
      this.#pagePolicy ??= resolvePagePolicy(ctx).catch((error) => {
        this.#pagePolicy = undefined
        throw error
      })
      return this.#pagePolicy
    }

    constructor(...args: any[]) {
      super(...args)

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
     * Converts an error to a response: the page policy first (once), then
     * `answer`; if that fails, the fallback response with the same status.
     */
    async handle(error: unknown, ctx: HttpContext) {
      const httpError = this.toHttpError(error)
      try {
        await prepareErrorResponse(ctx, httpError.status, () => this.#pagePolicyFor(ctx))
        challengeUnauthorized(ctx, httpError.status)
        return await this.answer(httpError, ctx)
      } catch (failure) {
        return this.renderFallback(httpError, failure, ctx)
      }
    }

    /**
     * Picks the answer of an error. Errors the framework or a package
     * answers their own way, but not in the client's format, are answered
     * by `respond`; the rest go the framework's way: errors with their own
     * `handle` handle themselves, validation errors go to
     * `renderValidationError`, the rest to `renderError`.
     */
    protected async answer(error: HttpError, ctx: HttpContext): Promise<unknown> {
      /**
       * No route for the method, but one for another: 405 with `Allow`
       * (OPTIONS too, which no route answers), in the client's format.
       */
      if (error instanceof httpErrors.E_ROUTE_NOT_FOUND) {
        this.#routedMethods ??= routedMethods()
        const allow = allowedMethods(ctx, this.#routedMethods)
        if (allow.length) {
          ctx.response.header('allow', allow.join(', '))
          return this.respond(new MethodNotAllowedException(ctx.request.method(), allow), ctx)
        }
      }

      if (error instanceof ServiceUnavailableException) {
        ctx.response.header('retry-after', String(ServiceUnavailableException.retryAfterSeconds))
        return this.respond(error, ctx)
      }

      /**
       * E_TOO_MANY_REQUESTS (429), from the form throttle or a route's
       * limiter middleware: its Retry-After and X-RateLimit-* headers, then
       * the 429 page or a body in the client's format (the limiter's own
       * `handle` would send plain text, or JSON of its own).
       */
      if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
        const headers = error.headers ?? error.getDefaultHeaders()
        for (const [name, value] of Object.entries(headers)) {
          ctx.response.header(name, value)
        }
        return this.respond(error, ctx)
      }

      /**
       * Shield's CSRF failure (403) and auth's wrong email or password
       * (E_INVALID_CREDENTIALS, 400) answer by flashing and redirecting
       * back, even to API clients (auth sends JSON clients a body of its
       * own). Browsers keep that; API clients get a body in their format.
       */
      if (
        (error.code === 'E_BAD_CSRF_TOKEN' || error.code === 'E_INVALID_CREDENTIALS') &&
        preferredErrorFormat(ctx) !== 'html'
      ) {
        return this.respond(error, ctx)
      }
      return super.handle(error, ctx)
    }

    /**
     * Answers an error as an expected answer rather than a bug: browsers
     * get its status page from `statusPages` even when `renderStatusPages`
     * is off (in development), or the fallback page; API clients get a
     * body in their format. `page` adds values to the status page (what
     * the page offers, say); `page.view` names a template of its own for
     * this answer. Used by the hooks, by `respond()` of exceptions that
     * handle themselves, and by controllers.
     */
    async respond(error: unknown, ctx: HttpContext, page?: StatusPageExtra & { view?: string }) {
      const httpError = this.toHttpError(error)
      await prepareErrorResponse(ctx, httpError.status, () => this.#pagePolicyFor(ctx))
      const format = preferredErrorFormat(ctx)
      if (format !== 'html') {
        return sendError(ctx, this.describe(httpError, ctx), format)
      }
      const view = page?.view
      const statusPage = view
        ? (_: unknown, context: HttpContext) => this.renderStatusPage(view, httpError, context)
        : this.statusPageFor(httpError, { always: true })
      if (!statusPage) {
        return sendError(ctx, this.describe(httpError, ctx), 'html')
      }
      if (page) {
        this.#pageExtras.set(ctx, page)
      }
      return statusPage(httpError, ctx)
    }

    /**
     * Turns anything thrown into an error with a valid status: a string,
     * null, or an object with `status: 200` or `status: 'abc'` becomes a
     * 500 (see kit/errors/src/http_error.ts). An error saying that Redis
     * or the database cannot be reached, wherever the query was made,
     * becomes E_SERVICE_UNAVAILABLE: a 503, never a 500. A request body
     * that does not decompress, or whose Content-Encoding is unknown, is
     * the client's fault: a 400 or 415 (see kit/errors/src/body_fault.ts).
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
        if (!this.shouldReport(httpError) || !this.passesThrottle(httpError, ctx)) {
          return
        }

        /**
         * Self-reported errors are awaited here (the framework does not
         * await them), so a report() that rejects is caught below.
         */
        if (typeof httpError.report === 'function') {
          await httpError.report(httpError, ctx)
          return
        }

        /**
         * A database error's message holds the SQL with its values: its
         * line says the code and the names of what failed instead.
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
     * The fields the handler adds to every report (its `context()`), for
     * exceptions that report themselves (see `reportContext()`).
     */
    contextOf(ctx: HttpContext): Record<string, unknown> {
      return this.context(ctx)
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
      sendError(ctx, this.describe(error, ctx), 'json')
    }

    /**
     * `{ errors: [{ status, code, title, detail }], meta: { requestId } }`
     */
    async renderErrorAsJSONAPI(error: HttpError, ctx: HttpContext) {
      sendError(ctx, this.describe(error, ctx), 'jsonapi')
    }

    /**
     * RFC 9457: `{ type, title, status, detail, instance, code, requestId }`
     */
    async renderErrorAsProblem(error: HttpError, ctx: HttpContext) {
      sendError(ctx, this.describe(error, ctx), 'problem')
    }

    /**
     * The status page for the error's status when there is one; otherwise
     * Youch in debug mode, or the escaped fallback page.
     */
    async renderErrorAsHTML(error: HttpError, ctx: HttpContext) {
      const statusPage = this.statusPageFor(error)
      if (statusPage) {
        return statusPage(error, ctx)
      }
      if (this.isDebuggingEnabled(ctx)) {
        return super.renderErrorAsHTML(error, ctx)
      }
      sendError(ctx, this.describe(error, ctx), 'html')
    }

    /**
     * Validation errors: HTML forms are redirected back with the errors
     * and the old input flashed; API clients get one entry per invalid
     * field.
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
      sendError(ctx, this.describe(error, ctx), 'json')
    }

    /**
     * `{ errors: [{ status, code, title, detail, source: { pointer } }], meta }`
     */
    async renderValidationErrorAsJSONAPI(error: HttpError, ctx: HttpContext) {
      sendError(ctx, this.describe(error, ctx), 'jsonapi')
    }

    /**
     * With a session, the session package flashes the errors and
     * redirects back. Without one, an escaped page instead of the
     * framework's raw "field - message" list.
     */
    async renderValidationErrorAsHTML(error: HttpError, ctx: HttpContext) {
      if (ctx.session) {
        return super.renderValidationErrorAsHTML(error, ctx)
      }
      return this.renderErrorAsHTML(error, ctx)
    }

    /**
     * Renders a status page template (see `statusPages`), with the values
     * `pageData` and the app's hook add.
     */
    protected renderStatusPage(template: string, error: unknown, ctx: HttpContext) {
      const httpError = this.toHttpError(error)
      return sendStatusPage(ctx, template, this.describe(httpError, ctx), {
        ...this.pageData(httpError),
        ...this.#pageExtras.get(ctx),
      })
    }

    /**
     * The safe description of an error that every response is built from,
     * with the extra members some errors add to their bodies.
     */
    protected describe(error: HttpError, ctx: HttpContext) {
      return describeError(error, ctx, {
        debug: this.isDebuggingEnabled(ctx),
        details: this.details(error),
        jsonMembers: this.jsonMembers(error),
      })
    }

    /**
     * Extra members of an error's body (none here; see `SessionErrors`).
     */
    protected details(_error: HttpError): Record<string, unknown> | undefined {
      return undefined
    }

    /**
     * Extra members at the top level of an error's plain JSON body, next
     * to `errors` and `requestId` (none here; see `SessionErrors`).
     */
    protected jsonMembers(_error: HttpError): Record<string, unknown> | undefined {
      return undefined
    }

    /**
     * Extra values of an error's status page (none here; see
     * `SessionErrors`).
     */
    protected pageData(_error: HttpError): StatusPageExtra {
      return {}
    }

    /**
     * The status page for a status: its own code first, then a range
     * (the framework's lookup lets a range override a code it covers).
     * None when `renderStatusPages` is off, unless `always` (see
     * `respond`).
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
     * Last resort when rendering the error failed: log it and send a
     * static response with the original status.
     */
    protected renderFallback(error: HttpError, failure: unknown, ctx: HttpContext) {
      ctx.logger.error(
        { err: failure, status: error.status },
        'could not render an error response; sent the fallback response'
      )
      sendError(ctx, describeError(error, ctx, { debug: false }), preferredErrorFormat(ctx))
    }

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
  return ErrorResponsesHandler
}

/**
 * A handler with the kit's error responses, for the types of mixins and
 * helpers built on it (`SessionErrors`, `respond()`).
 */
export type ErrorResponsesHandler = InstanceType<ReturnType<typeof ErrorResponses>>
