import type { HttpContext } from '@adonisjs/core/http'
import { safeRedirectPath } from '#security/safe_redirect'

/**
 * The path of the login form, with where to go after it (`next`, a path
 * `safeRedirectPath` accepted): "/login?next=%2Fdashboard", or "/login"
 * when `next` is empty or "/".
 */
export function loginFormPath(next: string): string {
  return next === '' || next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`
}

/**
 * Sends the browser to the login page, remembering where it was going
 * (`/login?next=/dashboard`) when that is a safe, same-site GET target.
 */
export function redirectToLogin(ctx: HttpContext) {
  const next = ctx.request.method() === 'GET' ? safeRedirectPath(ctx.request.url(true)) : '/'
  return ctx.response.redirect(loginFormPath(next), false, 303)
}
