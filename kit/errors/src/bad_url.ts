import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ErrorDescription } from '#kit/errors/src/error_description'
import { errorFormatFromAccept } from '#kit/errors/src/negotiate'
import { sendRawError } from '#kit/errors/src/responder'
import { requestIdFrom } from '#kit/errors/src/request_id'

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

  sendRawError(res, error, errorFormatFromAccept(req.headers.accept), {
    nonce,
    headers: { 'x-request-id': requestId },
  })
}
