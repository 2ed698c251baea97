import type { ServerResponse } from 'node:http'
import type { HttpContext } from '@adonisjs/core/http'
import { applyPagePolicy, type ErrorPagePolicy } from '#kit/errors/src/page_policy'
import type { ErrorDescription } from '#kit/errors/src/error_description'
import {
  ERROR_CONTENT_TYPES,
  type ErrorFormat,
  preferredErrorFormat,
} from '#kit/errors/src/negotiate'
import { errorBody } from '#kit/errors/src/error_bodies'
import { fallbackPage } from '#kit/errors/src/fallback_page'
import { type StatusPageExtra, statusPageData } from '#kit/errors/src/status_page'

/**
 * The one place that writes error responses. Every error answer of the
 * kit ends here: the exception handler's bodies and pages, `respond()`,
 * the fallback page when rendering failed, and the bad-URL answer sent
 * before AdonisJS makes a request. What they write is always built from an
 * `ErrorDescription`, the already-safe description of the error.
 */

/**
 * The content type and body of an error in a format: a JSON body, or for
 * HTML the static, escaped fallback page (its <style> carries `nonce`).
 */
export function errorContent(error: ErrorDescription, format: ErrorFormat, nonce?: string) {
  if (format === 'html') {
    return { contentType: 'text/html; charset=utf-8', body: fallbackPage(error, nonce) }
  }
  return { contentType: ERROR_CONTENT_TYPES[format], body: errorBody(error, format) }
}

/**
 * Statuses about the user, the session or the client (401, 403, 407, 419,
 * 429) and every 5xx (transient, may describe the server's state).
 */
function isPrivateOrTransient(status: number) {
  return status >= 500 || [401, 403, 407, 419, 429].includes(status)
}

/**
 * The Cache-Control of an error response: `no-store` for the statuses
 * above; `no-cache` for the other 4xx (a 404 for a visitor, a 405...),
 * which a cache may keep but must check again before each use, so a 404
 * is never served after the page exists. A `no-store` already set (a
 * signed-in user's response, see kit/security) is kept.
 */
export function errorCacheControl(status: number, current?: string) {
  if (isPrivateOrTransient(status) || (current && /\bno-store\b/i.test(current))) {
    return 'no-store'
  }
  return 'no-cache'
}

/**
 * The Content-Security-Policy of an error answered in JSON, JSON:API or
 * problem+json when shield's middleware never saw the request (the 404 of
 * an unknown URL, an error thrown before shield): such a body is never a
 * page, so nothing may load or frame it, and it needs no nonce (making
 * one is a good part of the cost of a JSON 404). Routed responses keep
 * the policy shield gave them.
 */
export const NON_HTML_ERROR_POLICY = "default-src 'none'; frame-ancestors 'none'"

/**
 * Gives the response what every error answer carries before anything is
 * written: `Vary: Accept` (added to any Vary already set: the format,
 * and for the 401 of a protected route the answer itself, depend on
 * Accept), its Cache-Control (`errorCacheControl`), and its
 * Content-Security-Policy. Pages get the page policy and its nonce
 * (error pages style themselves with that nonce, also when shield's
 * middleware never ran); other formats get `NON_HTML_ERROR_POLICY` when
 * no policy is set yet. A policy already set is kept, so this can run
 * more than once per response.
 *
 * `pagePolicy` is asked only for pages; only then is there something to
 * wait for (the returned promise): other formats are prepared at once.
 */
export function prepareErrorResponse(
  ctx: HttpContext,
  status: number,
  pagePolicy: () => Promise<ErrorPagePolicy | undefined>
): Promise<void> | undefined {
  /**
   * Most error responses have no Vary yet, or only this one (when this
   * runs again for the same response): the `vary` package's parsing is
   * needed only to merge with another value.
   */
  const vary = ctx.response.getHeader('vary')
  if (vary === undefined) {
    ctx.response.header('vary', 'Accept')
  } else if (vary !== 'Accept') {
    ctx.response.vary('Accept')
  }
  const current = ctx.response.getHeader('cache-control')
  ctx.response.header(
    'cache-control',
    errorCacheControl(status, typeof current === 'string' ? current : undefined)
  )
  if (preferredErrorFormat(ctx) === 'html') {
    return pagePolicy().then((policy) => applyPagePolicy(ctx, policy))
  }
  if (
    ctx.response.nonce === undefined &&
    ctx.response.getHeader('content-security-policy') === undefined
  ) {
    ctx.response.header('content-security-policy', NON_HTML_ERROR_POLICY)
  }
}

/**
 * The challenge of a 401 (RFC 9110 requires one): the app signs in with a
 * session cookie set by its sign-in form, which no registered HTTP
 * authentication scheme describes, so the scheme is the kit's own
 * `Session`, in the realm of the app. Clients treat it as opaque.
 */
export const AUTH_CHALLENGE = 'Session realm="app"'

/**
 * Gives a 401 its `WWW-Authenticate` challenge, unless one is set already.
 */
export function challengeUnauthorized(ctx: HttpContext, status: number) {
  if (status === 401 && !ctx.response.getHeader('www-authenticate')) {
    ctx.response.header('www-authenticate', AUTH_CHALLENGE)
  }
}

/**
 * Sets the status of an error response, and a 401's challenge.
 */
function setStatus(ctx: HttpContext, status: number) {
  ctx.response.status(status)
  challengeUnauthorized(ctx, status)
}

/**
 * Sends an error in a format: a JSON body, or the fallback page.
 */
export function sendError(ctx: HttpContext, error: ErrorDescription, format: ErrorFormat) {
  const { contentType, body } = errorContent(error, format, ctx.response.nonce)
  setStatus(ctx, error.status)
  ctx.response.header('content-type', contentType)
  ctx.response.send(body)
  return ctx.response
}

/**
 * Renders a status page template and sends it with the error's status.
 * When the template cannot be rendered (it throws, or the view is
 * missing), the failure is logged and the fallback page is sent instead,
 * with the same status: the template's error never reaches the client.
 * Both style themselves with a <style> block that carries the response's
 * CSP nonce (`cspNonce` in the template).
 */
export async function sendStatusPage(
  ctx: HttpContext,
  template: string,
  error: ErrorDescription,
  extra: StatusPageExtra = {}
) {
  let html: string
  try {
    html = await ctx.view.render(template, { page: statusPageData(error, extra) })
  } catch (failure) {
    ctx.logger.error(
      { err: failure, template, status: error.status },
      'could not render the status page; sent the fallback page'
    )
    return sendError(ctx, error, 'html')
  }

  setStatus(ctx, error.status)
  ctx.response.header('content-type', 'text/html; charset=utf-8')
  ctx.response.send(html)
  return ctx.response
}

/**
 * Sends an error on a bare Node.js response, for the one answer written
 * before AdonisJS makes an HTTP context (see `sendBadUrl`). `headers` are
 * sent along (the request id).
 */
export function sendRawError(
  res: ServerResponse,
  error: ErrorDescription,
  format: ErrorFormat,
  options: { nonce?: string; headers?: Record<string, string> } = {}
) {
  const { contentType, body } = errorContent(error, format, options.nonce)
  res.writeHead(error.status, {
    ...options.headers,
    'vary': 'Accept',
    'cache-control': errorCacheControl(error.status),
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
  })
  res.end(body)
}
