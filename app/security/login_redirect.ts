import type { HttpContext } from '@adonisjs/core/http'
import { safeRedirectPath } from '#security/safe_redirect'

/**
 * Sends the browser to the login page, remembering where it was going
 * (`/login?next=/dashboard`) when that is a safe, same-site GET target.
 */
export function redirectToLogin(ctx: HttpContext) {
  const next = ctx.request.method() === 'GET' ? safeRedirectPath(ctx.request.url(true)) : '/'
  const target = next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`
  return ctx.response.redirect(target, false, 303)
}
