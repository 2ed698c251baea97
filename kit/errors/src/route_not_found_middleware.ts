import { errors, type HttpContext, type Router } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { withoutStackTrace } from '#kit/errors/src/without_stack_trace'

/**
 * Raises the router's own `E_ROUTE_NOT_FOUND` for a request no route
 * matches, built without a stack trace, before the router looks the route
 * up and builds it with one.
 *
 * The last server middleware (after public files). An unknown URL is the
 * most frequent error a public app answers, and the stack trace of its
 * `E_ROUTE_NOT_FOUND` always points at the router's own lookup; capturing
 * it (twice: `Error`, then `@poppinss/exception`) was the largest single
 * cost of a JSON 404 (docs/performance.md). The error is the same class
 * with the same message, status and code, and goes the same way: the
 * handler (its 405 check, status pages, `ignoreCodes`, your hooks) answers
 * it. Requests that have a route pass on after one lookup, asked exactly
 * as the router asks it.
 *
 * One instance per app, made by the errors provider.
 */
export default class RouteNotFoundMiddleware {
  constructor(readonly router: Router) {}

  handle(ctx: HttpContext, next: NextFn) {
    const { request } = ctx
    const url = request.url()
    const method = request.method()
    /**
     * The host matters only to apps with domain routes, as in the
     * router's own lookup; finding it parses forwarded headers.
     */
    const hostname = this.router.usingDomains ? request.hostname() : undefined
    if (this.router.match(url, method, request.parsedUrl.shouldDecodeParam, hostname)) {
      return next()
    }
    /**
     * Rejected rather than thrown, as the router does: a `throw` costs V8
     * more than the promise it becomes anyway.
     */
    return Promise.reject(withoutStackTrace(() => new errors.E_ROUTE_NOT_FOUND([method, url])))
  }
}
