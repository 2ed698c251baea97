import type { HttpContext } from '@adonisjs/core/http'
import { safeRedirectPath } from '#kit/security'

/**
 * Why a visitor is sent to the login form, when the form has to say it
 * and no session can carry a notice: "theft" (the session was revoked and
 * its cookie cleared after a token was reused), "plain_http" (a form was
 * sent over plain HTTP by a browser that keeps no Secure cookie there).
 */
export type LoginReason = 'theft' | 'plain_http'

/**
 * The path of the login form, with where to go after it (`next`, a path
 * `safeRedirectPath` accepted) and why (`reason`):
 * "/login?next=%2Fdashboard", "/login?reason=theft", or "/login" when
 * `next` is empty or "/" and there is no reason.
 */
export function loginFormPath(next: string, reason?: LoginReason): string {
  const query: string[] = []
  if (next !== '' && next !== '/') {
    query.push(`next=${encodeURIComponent(next)}`)
  }
  if (reason) {
    query.push(`reason=${reason}`)
  }
  return query.length ? `/login?${query.join('&')}` : '/login'
}

/**
 * Sends the browser to the login page, remembering where it was going
 * (`/login?next=/dashboard`) when that is a safe, same-site GET target,
 * and why, when given.
 */
export function redirectToLogin(ctx: HttpContext, reason?: LoginReason) {
  const next = ctx.request.method() === 'GET' ? safeRedirectPath(ctx.request.url(true)) : '/'
  return ctx.response.redirect(loginFormPath(next, reason), false, 303)
}
