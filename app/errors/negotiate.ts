import type { HttpContext } from '@adonisjs/core/http'

/**
 * The formats an error response can take.
 */
export type ErrorFormat = 'html' | 'json' | 'jsonapi' | 'problem'

/**
 * The content type sent with each non-HTML format.
 */
export const ERROR_CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  jsonapi: 'application/vnd.api+json; charset=utf-8',
  problem: 'application/problem+json; charset=utf-8',
} as const

/**
 * Picks the error format from the Accept header. HTML comes first, so no
 * Accept header, `*\/*` and anything unknown get HTML, as in browsers;
 * `application/*` gets plain JSON.
 */
export function preferredErrorFormat(ctx: HttpContext): ErrorFormat {
  switch (
    ctx.request.accepts(['html', 'json', 'application/vnd.api+json', 'application/problem+json'])
  ) {
    case 'json':
      return 'json'
    case 'application/vnd.api+json':
      return 'jsonapi'
    case 'application/problem+json':
      return 'problem'
    default:
      return 'html'
  }
}
