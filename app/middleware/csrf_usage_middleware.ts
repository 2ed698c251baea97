import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Runs after shield. Shield puts a CSRF secret in the session of every
 * request, which would store a session (and set a cookie) for every
 * cookie-less visit of every page. This notes whether the page really
 * rendered a CSRF field (`csrfField()` or `csrfMeta()`); when it did not,
 * the session middleware drops a new session that holds nothing but that
 * secret.
 */
export default class CsrfUsageMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    if ('view' in ctx && ctx.sessionTokens) {
      const state = ctx.view.getState()
      const tokens = ctx.sessionTokens
      for (const helper of ['csrfField', 'csrfMeta'] as const) {
        const original = state[helper]
        if (typeof original === 'function') {
          ctx.view.share({
            [helper]: (...args: unknown[]) => {
              tokens.markNeeded()
              return original(...args)
            },
          })
        }
      }
    }
    return next()
  }
}
