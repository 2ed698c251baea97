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
 * The answer for the common Accept headers, without parsing: none (HTML),
 * one of the formats alone, or a browser's header starting with
 * `text/html` (no quality given), which ranks HTML first whatever
 * follows, as `request.accepts` would.
 */
function shortcut(accept: string | undefined): ErrorFormat | undefined {
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
  return undefined
}

/**
 * The negotiation of a request, by AdonisJS's `request.accepts` past the
 * shortcuts.
 */
function negotiate(ctx: HttpContext): ErrorFormat {
  const accept = ctx.request.header('accept')
  return shortcut(accept) ?? formatOfAccepted(ctx.request.accepts(ERROR_ACCEPT_TYPES))
}

/**
 * The media types an error can be sent as, in the order the kit prefers
 * them when the client likes several equally (HTML first).
 */
const FORMATS: [ErrorFormat, (type: string) => boolean][] = [
  ['html', (type) => type === 'text/html' || type === 'text/*' || type === '*/*'],
  ['json', (type) => type === 'application/json' || type === 'application/*'],
  ['jsonapi', (type) => type === 'application/vnd.api+json'],
  ['problem', (type) => type === 'application/problem+json'],
]

/**
 * Picks the error format from a raw Accept header, for the one response
 * sent before AdonisJS makes a request object (the bad-URL answer, see
 * `sendBadUrl`): the same shortcuts, then the most preferred media range
 * (highest q) that names a format; nothing known gives HTML.
 */
export function errorFormatFromAccept(header: string | undefined): ErrorFormat {
  const quick = shortcut(header)
  if (quick) {
    return quick
  }
  const ranges = header!
    .split(',')
    .map((part, index) => {
      const [type, ...params] = part.trim().toLowerCase().split(';')
      const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='))
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1, index }
    })
    .filter((range) => range.type && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)

  for (const range of ranges) {
    const format = FORMATS.find(([, matches]) => matches(range.type))
    if (format) {
      return format[0]
    }
  }
  return 'html'
}
