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
 * Accept headers that name one of the formats alone, answered without
 * running the negotiation (which parses the header on each call).
 */
const SINGLE_TYPES = new Map<string, ErrorFormat>([
  ['application/json', 'json'],
  ['application/vnd.api+json', 'jsonapi'],
  ['application/problem+json', 'problem'],
  ['text/html', 'html'],
])

/**
 * The format each request was answered in: the handler asks more than
 * once per error (its hooks, `respond`, the renderers), and the Accept
 * header cannot change during a request.
 */
const chosen = new WeakMap<HttpContext, ErrorFormat>()

/**
 * Picks the error format from the Accept header. HTML comes first, so no
 * Accept header, `*\/*` and anything unknown get HTML, as in browsers;
 * `application/*` gets plain JSON.
 */
export function preferredErrorFormat(ctx: HttpContext): ErrorFormat {
  let format = chosen.get(ctx)
  if (format === undefined) {
    format = negotiate(ctx)
    chosen.set(ctx, format)
  }
  return format
}

/**
 * The types the error formats answer to, for `request.accepts`: HTML
 * first, so it wins when the client ranks several equally.
 */
export const ERROR_ACCEPT_TYPES = [
  'html',
  'json',
  'application/vnd.api+json',
  'application/problem+json',
]

/**
 * The format of the type `request.accepts(ERROR_ACCEPT_TYPES)` picked
 * (HTML when it picked none).
 */
export function formatOfAccepted(type: string | null): ErrorFormat {
  switch (type) {
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

/**
 * The negotiation itself. A browser's header starting with `text/html`
 * (no quality given) ranks HTML first whatever follows, as
 * `request.accepts` would.
 */
function negotiate(ctx: HttpContext): ErrorFormat {
  const accept = ctx.request.header('accept')
  if (accept === undefined) {
    return 'html'
  }
  const single = SINGLE_TYPES.get(accept.trim())
  if (single) {
    return single
  }
  if (/^text\/html\s*,/.test(accept)) {
    return 'html'
  }
  return formatOfAccepted(ctx.request.accepts(ERROR_ACCEPT_TYPES))
}
