import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NormalizeConstructor } from '@adonisjs/core/types/helpers'
import {
  type ErrorResponses,
  type HttpError,
  type StatusPageExtra,
  preferredErrorFormat,
} from '#kit/errors'
import UnauthorizedException from '#kit/sessions/src/exceptions/unauthorized_exception'
import InvalidClaimException from '#kit/sessions/src/exceptions/invalid_claim_exception'
import TokenTheftDetectedException from '#kit/sessions/src/exceptions/token_theft_detected_exception'
import { type HttpsConfig, lostToPlainHttp } from '#kit/sessions/src/plain_http'
import { redirectToLogin } from '#kit/sessions/src/login_redirect'

/**
 * The session middleware's auth errors, as a mixin of a handler with the
 * kit's error responses (`compose(ExceptionHandler, ErrorResponses,
 * SessionErrors)` in app/exceptions/handler.ts): each goes to its hook,
 * which the app's handler overrides. The hooks are called after the
 * security side effects have happened (the session's auth state cleared,
 * the stolen session's family revoked and its cookie cleared), so a hook
 * only decides the answer: it cannot skip or weaken them.
 *
 * Without an override, each hook answers with `respond` (its status page,
 * or a body in the client's format). The bodies carry `reason`
 * (E_UNAUTHORIZED) and `claimValidationErrors: [{ id, reason }]`
 * (E_INVALID_CLAIM; in plain JSON also at the top level, with
 * `message: "invalid claim"`, as SuperTokens sends it); the 403 page lists
 * the unmet requirements. A token theft is reported once, as a security
 * event.
 */
export function SessionErrors<
  T extends NormalizeConstructor<ReturnType<typeof ErrorResponses<any>>>,
>(superclass: T) {
  class SessionErrorsHandler extends superclass {
    /**
     * E_UNAUTHORIZED (401): a protected route without a valid sign-in.
     */
    protected async onUnauthorized(
      error: UnauthorizedException,
      ctx: HttpContext
    ): Promise<unknown> {
      return this.respond(error, ctx)
    }

    /**
     * E_INVALID_CLAIM (403): the user is signed in but fails a claim.
     */
    protected async onInvalidClaim(
      error: InvalidClaimException,
      ctx: HttpContext
    ): Promise<unknown> {
      return this.respond(error, ctx)
    }

    /**
     * E_TOKEN_THEFT_DETECTED (401): a rotated session token was used again.
     */
    protected async onTokenTheftDetected(
      error: TokenTheftDetectedException,
      ctx: HttpContext
    ): Promise<unknown> {
      return this.respond(error, ctx)
    }

    protected async answer(error: HttpError, ctx: HttpContext): Promise<unknown> {
      if (error instanceof UnauthorizedException) {
        return this.onUnauthorized(error, ctx)
      }
      if (error instanceof InvalidClaimException) {
        return this.onInvalidClaim(error, ctx)
      }
      if (error instanceof TokenTheftDetectedException) {
        return this.onTokenTheftDetected(error, ctx)
      }
      if (error.code === 'E_BAD_CSRF_TOKEN' && this.browserOnPlainHttp(ctx)) {
        return this.onPlainHttpForm(ctx)
      }
      return super.answer(error, ctx)
    }

    /**
     * True when a browser's form failed its CSRF check because the browser
     * is on plain HTTP and did not keep the app's Secure cookies (see
     * kit/sessions/src/plain_http.ts): shield's answer, a flash message and
     * a redirect back, would be lost with the cookies.
     */
    protected browserOnPlainHttp(ctx: HttpContext): boolean {
      const config = app.config.get<HttpsConfig | undefined>('https', undefined)
      return !!config && preferredErrorFormat(ctx) === 'html' && lostToPlainHttp(ctx, config)
    }

    /**
     * The answer to a form sent over plain HTTP by a browser that kept no
     * cookie: the login page, whose notice (`reason=plain_http`) says to
     * open the site with https://; the log says it too.
     */
    protected async onPlainHttpForm(ctx: HttpContext): Promise<unknown> {
      ctx.logger.warn(
        { event: 'http.plain_http_form', ...this.context(ctx) },
        'a form failed its CSRF check over plain HTTP: the browser does not keep the Secure ' +
          'session and CSRF cookies; serve the app over HTTPS (docs/production.md)'
      )
      return redirectToLogin(ctx, 'plain_http')
    }

    async report(error: unknown, ctx: HttpContext) {
      if (error instanceof TokenTheftDetectedException) {
        try {
          return this.reportTokenTheft(error, ctx)
        } catch (failure) {
          ctx.logger.error({ err: failure }, 'could not report an error')
          return
        }
      }
      return super.report(error, ctx)
    }

    /**
     * Reports a token theft once, as a security event (whatever
     * `ignoreStatuses` says), with the user and the session family, never
     * a token: only for the request that detected it (`revokedNow`).
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
     * The `reason` of E_UNAUTHORIZED and the failed validators of
     * E_INVALID_CLAIM, in their bodies.
     */
    protected details(error: HttpError): Record<string, unknown> | undefined {
      if (error instanceof UnauthorizedException) {
        return { reason: error.reason }
      }
      if (error instanceof InvalidClaimException) {
        return { claimValidationErrors: claimValidationErrors(error) }
      }
      return super.details(error)
    }

    /**
     * The plain JSON 403 of E_INVALID_CLAIM also has SuperTokens' body at
     * its top level, `{ message: "invalid claim", claimValidationErrors }`,
     * so that a client written for SuperTokens reads it unchanged; the
     * kit's own entry in `errors` keeps its code, message and list.
     */
    protected jsonMembers(error: HttpError): Record<string, unknown> | undefined {
      if (error instanceof InvalidClaimException) {
        return { message: 'invalid claim', claimValidationErrors: claimValidationErrors(error) }
      }
      return super.jsonMembers(error)
    }

    /**
     * The unmet requirements, in plain words, on the 403 page of
     * E_INVALID_CLAIM.
     */
    protected pageData(error: HttpError): StatusPageExtra {
      if (error instanceof InvalidClaimException) {
        return { requirements: error.failures.map((failure) => failure.requirement) }
      }
      return super.pageData(error)
    }
  }
  return SessionErrorsHandler
}

/**
 * The failed validators of E_INVALID_CLAIM as SuperTokens sends them:
 * `[{ id, reason: { message, ... } }]`.
 */
function claimValidationErrors(error: InvalidClaimException) {
  return error.failures.map(({ id, reason }) => ({ id, reason }))
}
