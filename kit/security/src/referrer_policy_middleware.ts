import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { referrerPolicy } from '#config/shield'

/**
 * Sends the Referrer-Policy of "config/shield.ts" with every response,
 * pages, errors, JSON and static files alike (set on the Node response, so
 * the ones that bypass AdonisJS' response object carry it too). Shield
 * has no such guard.
 */
export default class ReferrerPolicyMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    ctx.response.response.setHeader('referrer-policy', referrerPolicy)
    return next()
  }
}
