import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ErrorDescription } from '#kit/errors/src/error_description'
import { fallbackPage } from '#kit/errors/src/fallback_page'
import { ERROR_CONTENT_TYPES, type ErrorFormat } from '#kit/errors/src/negotiate'
import { errorBody } from '#kit/errors/src/error_bodies'
import { requestIdFrom } from '#kit/security/src/request_id'

/**
 * The media types an error can be sent as, in the order the kit prefers
 * them when the client likes several equally (HTML first, as in
 * `preferredErrorFormat`).
 */
const FORMATS: [ErrorFormat, (type: string) => boolean][] = [
  ['html', (type) => type === 'text/html' || type === 'text/*' || type === '*/*'],
  ['json', (type) => type === 'application/json' || type === 'application/*'],
  ['jsonapi', (type) => type === 'application/vnd.api+json'],
  ['problem', (type) => type === 'application/problem+json'],
]

/**
 * Picks the error format from a raw Accept header, for the one response
 * that is sent before AdonisJS makes a request object (see `sendBadUrl`).
 * The most preferred media range (highest q) that names a format wins;
 * no header, or nothing known, gives HTML.
 */
export function errorFormatFromAccept(header: string | undefined): ErrorFormat {
  const ranges = (header ?? '')
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

/**
 * Answers a request whose URL AdonisJS 7 cannot decode (malformed
 * percent-encoding such as `/%E0%A4%A`): a 400 E_BAD_URL in the format the
 * client asked for, with a request id, instead of the framework's plain
 * "Bad Request" text. Used as `onBadUrl` in "config/app.ts"; the router,
 * the middleware and the exception handler never see such a request.
 * `nonce` is the nonce of the Content-Security-Policy already set on `res`
 * (see `applyRawPagePolicy`), for the page's <style>.
 */
export function sendBadUrl(req: IncomingMessage, res: ServerResponse, nonce?: string) {
  const requestId = requestIdFrom(req.headers['x-request-id'])
  const message = 'The address of this request is not valid.'
  const error: ErrorDescription = {
    status: 400,
    code: 'E_BAD_URL',
    title: 'Bad Request',
    message,
    requestId,
    path: (req.url ?? '/').split('?')[0],
    errors: [{ status: 400, code: 'E_BAD_URL', message }],
  }

  const format = errorFormatFromAccept(req.headers.accept)
  const body = format === 'html' ? fallbackPage(error, nonce) : errorBody(error, format)

  res.writeHead(400, {
    'content-type': format === 'html' ? 'text/html; charset=utf-8' : ERROR_CONTENT_TYPES[format],
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
  })
  res.end(body)
}
