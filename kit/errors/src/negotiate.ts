import type { HttpContext } from '@adonisjs/core/http'

/**
 * The formats an error response can take.
 */
export type ErrorFormat = 'html' | 'json' | 'jsonapi' | 'problem'

/**
 * The content type sent with each non-HTML format. JSON:API's has no
 * parameter: the spec forbids any but `ext` and `profile`, and UTF-8 is
 * the only encoding of JSON (RFC 8259).
 */
export const ERROR_CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  jsonapi: 'application/vnd.api+json',
  problem: 'application/problem+json; charset=utf-8',
} as const

/**
 * The JSON:API media type, and the extensions (`ext` URIs) the app
 * supports: none.
 */
export const JSONAPI_MEDIA_TYPE = 'application/vnd.api+json'
const SUPPORTED_JSONAPI_EXTENSIONS: ReadonlySet<string> = new Set()

/**
 * The media type of each format, in the order the kit prefers them when
 * the client likes several equally (HTML first).
 */
const FORMAT_TYPES: [ErrorFormat, string, string][] = [
  ['html', 'text', 'html'],
  ['json', 'application', 'json'],
  ['jsonapi', 'application', 'vnd.api+json'],
  ['problem', 'application', 'problem+json'],
]

/**
 * Accept headers that name one of the formats alone, answered without
 * parsing.
 */
const SINGLE_TYPES = new Map<string, ErrorFormat>([
  ['application/json', 'json'],
  ['application/json; charset=utf-8', 'json'],
  ['application/vnd.api+json', 'jsonapi'],
  ['application/problem+json', 'problem'],
  ['application/problem+json; charset=utf-8', 'problem'],
  ['text/html', 'html'],
  ['*/*', 'html'],
])

/**
 * Picks the error format of a request from its Accept header (see
 * `errorFormatFromAccept`). Not remembered per request: the common
 * headers are answered by one map lookup (`shortcut`), cheaper than any
 * per-request cache, and a middleware may still rewrite Accept (the
 * API's forced JSON) before the error is answered.
 */
export function preferredErrorFormat(ctx: HttpContext): ErrorFormat {
  return errorFormatFromAccept(ctx.request.header('accept'))
}

/**
 * The types the error formats answer to, for `request.accepts`: what the
 * negotiation picks for Accept headers without parameters (the exactness
 * test compares both).
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
 * One media range of an Accept header (or the media type of a
 * Content-Type): lower-cased type and subtype, its parameters (without
 * `q`), its weight and its position.
 */
type MediaRange = {
  type: string
  subtype: string
  params: Map<string, string>
  q: number
  index: number
}

/**
 * Parses a media type or range with its parameters (quoted values
 * unquoted). Null for something that is not `type/subtype`.
 */
function parseMediaRange(text: string, index: number): MediaRange | null {
  const [full, ...rawParams] = text.split(';')
  const slash = full.indexOf('/')
  if (slash < 1) {
    return null
  }
  const type = full.slice(0, slash).trim().toLowerCase()
  const subtype = full
    .slice(slash + 1)
    .trim()
    .toLowerCase()
  if (!type || !subtype) {
    return null
  }
  const params = new Map<string, string>()
  let q = 1
  for (const raw of rawParams) {
    const equals = raw.indexOf('=')
    const name = (equals === -1 ? raw : raw.slice(0, equals)).trim().toLowerCase()
    if (!name) {
      continue
    }
    let value = equals === -1 ? '' : raw.slice(equals + 1).trim()
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1).replace(/\\(.)/g, '$1')
    }
    if (name === 'q') {
      const weight = Number.parseFloat(value)
      q = Number.isNaN(weight) ? 1 : Math.min(Math.max(weight, 0), 1)
    } else {
      params.set(name, value)
    }
  }
  return { type, subtype, params, q, index }
}

/**
 * The media ranges of an Accept header. Commas inside quoted parameter
 * values (a JSON:API `ext` or `profile` list) do not split ranges.
 */
function parseAccept(header: string): MediaRange[] {
  const parts = header.includes('"')
    ? (header.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? [])
    : header.split(',')
  const ranges: MediaRange[] = []
  for (const part of parts) {
    const range = parseMediaRange(part, ranges.length)
    if (range) {
      ranges.push(range)
    }
  }
  return ranges
}

/**
 * True for an instance of the JSON:API media type that the app can
 * answer: its parameters are `ext` (every extension supported) and
 * `profile` (ignored) only. JSON:API servers ignore the other instances.
 */
function isUsableJsonApiRange(range: MediaRange): boolean {
  for (const [name, value] of range.params) {
    if (name === 'profile') {
      continue
    }
    if (name !== 'ext') {
      return false
    }
    const extensions = value.split(/\s+/).filter(Boolean)
    if (extensions.some((uri) => !SUPPORTED_JSONAPI_EXTENSIONS.has(uri))) {
      return false
    }
  }
  return true
}

function isJsonApi(range: { type: string; subtype: string }) {
  return range.type === 'application' && range.subtype === 'vnd.api+json'
}

/**
 * The answer for the common Accept headers, without parsing: none (HTML),
 * one of the formats alone, or a browser's header starting with
 * `text/html` (no quality given), which ranks HTML first whatever
 * follows.
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
 * Picks the error format from an Accept header, as RFC 9110 (section
 * 12.5.1) says: for each format, the most specific media range that
 * matches it gives its weight; the highest weight wins, then the more
 * specific range, then the range the client listed first, then the kit's
 * order (HTML, JSON, JSON:API,
 * problem+json). Parameters that do not change the representation are
 * ignored (`charset`, unknown ones); instances of the JSON:API media type
 * with parameters other than `ext` and `profile`, or an unsupported
 * `ext`, are ignored, as JSON:API servers must. A header where every
 * JSON:API instance is ignored is a JSON:API client the app cannot
 * answer: it gets JSON:API (its 406 is sent by `jsonApiMediaTypeFault`).
 * No header, `*\/*` and anything unknown get HTML, as in browsers. Used
 * for every request, and for the bad-URL answer sent before AdonisJS
 * makes a request object.
 */
export function errorFormatFromAccept(header: string | undefined): ErrorFormat {
  const quick = shortcut(header)
  if (quick) {
    return quick
  }
  const ranges = parseAccept(header!)
  let jsonApiSeen = false
  let jsonApiUsable = false
  let best: { format: ErrorFormat; q: number; specificity: number; index: number } | undefined

  for (const [format, type, subtype] of FORMAT_TYPES) {
    let match: MediaRange | undefined
    let matchSpecificity = -1
    for (const range of ranges) {
      if (format === 'jsonapi' && isJsonApi(range)) {
        jsonApiSeen = true
        if (!isUsableJsonApiRange(range)) {
          continue
        }
        jsonApiUsable = true
      }
      const specificity =
        range.type === type && range.subtype === subtype
          ? 2
          : range.type === type && range.subtype === '*'
            ? 1
            : range.type === '*' && range.subtype === '*'
              ? 0
              : -1
      if (
        specificity > matchSpecificity ||
        (specificity === matchSpecificity && specificity >= 0 && range.q > match!.q)
      ) {
        match = range
        matchSpecificity = specificity
      }
    }
    if (match && match.q > 0) {
      const candidate = { format, q: match.q, specificity: matchSpecificity, index: match.index }
      if (!best || ranksHigher(candidate, best)) {
        best = candidate
      }
    }
  }

  if (jsonApiSeen && !jsonApiUsable) {
    return 'jsonapi'
  }
  return best?.format ?? 'html'
}

/**
 * The order of two formats' matches: weight, then specificity, then the
 * position of the range in the header.
 */
function ranksHigher(
  a: { q: number; specificity: number; index: number },
  b: { q: number; specificity: number; index: number }
) {
  return (
    a.q > b.q ||
    (a.q === b.q &&
      (a.specificity > b.specificity || (a.specificity === b.specificity && a.index < b.index)))
  )
}

/**
 * What JSON:API's "Server Responsibilities" require before a request is
 * handled: a 415 when the request body's Content-Type is the JSON:API
 * media type with a parameter other than `ext` and `profile` (or an
 * unsupported `ext`), a 406 when the Accept header names the JSON:API
 * media type and every instance of it carries such a parameter or an
 * unsupported `ext`. Undefined when the request is acceptable. Requests
 * that name no JSON:API media type cost one substring search.
 */
export function jsonApiMediaTypeFault(
  accept: string | undefined,
  contentType: string | undefined
): 406 | 415 | undefined {
  if (contentType && contentType.toLowerCase().includes(JSONAPI_MEDIA_TYPE)) {
    const media = parseMediaRange(contentType, 0)
    if (media && isJsonApi(media) && !isUsableJsonApiRange(media)) {
      return 415
    }
  }
  if (accept && accept.toLowerCase().includes(JSONAPI_MEDIA_TYPE)) {
    const instances = parseAccept(accept).filter(isJsonApi)
    if (instances.length && !instances.some(isUsableJsonApiRange)) {
      return 406
    }
  }
  return undefined
}
