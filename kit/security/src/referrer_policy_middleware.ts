import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Sends the Referrer-Policy of the security config with every response,
 * pages, errors, JSON and static files alike (set on the Node response, so
 * the ones that bypass AdonisJS' response object carry it too). Shield
 * has no such guard.
 *
 * One instance per app, made by the security provider.
 */
export default class ReferrerPolicyMiddleware {
  constructor(readonly policy: string) {}

  handle(ctx: HttpContext, next: NextFn) {
    ctx.response.response.setHeader('referrer-policy', this.policy)
    return next()
  }
}
