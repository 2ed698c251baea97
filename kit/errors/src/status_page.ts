import type { HttpContext } from '@adonisjs/core/http'
import type { ErrorDescription } from '#kit/errors/src/error_description'
import { fallbackPage } from '#kit/errors/src/fallback_page'

/**
 * What a status page template receives, as `page`. Only safe values:
 * never the error object itself (its stack, its cause).
 */
export type StatusPageData = {
  status: number
  title: string
  /**
   * The error's own message, for 4xx errors that have one worth showing.
   */
  detail: string | null
  requestId: string | null
  /**
   * Unmet requirements, in plain words (the 403 page lists them).
   */
  requirements: string[]
  /**
   * The "send a new verification link" form of the 403 page (the
   * email-verified claim failed): where it posts and its CSRF token.
   */
  resendVerification: { action: string; csrfToken: string } | null
}

/**
 * What some status pages add to the safe values.
 */
export type StatusPageExtra = {
  requirements?: string[]
  resendVerification?: StatusPageData['resendVerification']
}

/**
 * Picks the values a status page may show.
 */
export function statusPageData(
  error: ErrorDescription,
  extra: StatusPageExtra = {}
): StatusPageData {
  const showDetail =
    error.status < 500 && error.code !== 'E_ROUTE_NOT_FOUND' && error.message !== error.title

  return {
    status: error.status,
    title: error.title,
    detail: showDetail ? error.message : null,
    requestId: error.requestId ?? null,
    requirements: extra.requirements ?? [],
    resendVerification: extra.resendVerification ?? null,
  }
}

/**
 * Renders a status page template and sends it with the error's status.
 * When the template cannot be rendered (it throws, or the view is
 * missing), the failure is logged and the static fallback page is sent
 * instead, with the same status: the template's error never reaches the
 * client. Both style themselves with a <style> block that carries the
 * response's CSP nonce (`cspNonce` in the template), which the exception
 * handler makes sure exists (kit/security/src/page_policy.ts).
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
    html = fallbackPage(error, ctx.response.nonce)
  }

  ctx.response.status(error.status)
  ctx.response.header('content-type', 'text/html; charset=utf-8')
  ctx.response.send(html)
  return ctx.response
}
