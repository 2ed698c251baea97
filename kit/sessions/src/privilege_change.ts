import type { HttpContext } from '@adonisjs/core/http'
import { renewCsrfSecret } from '#kit/sessions/src/csrf_secret'

/**
 * Marks the request as a privilege change that is not a sign-in (a
 * second factor given, a claim refreshed by hand): the session token
 * rotates as the request ends (the old one keeps working for the grace
 * window, then counts as stolen), and the CSRF secret is renewed, as at
 * sign-in. A token copied before the change is worth less than the
 * session after it. Answer with a redirect (the page's token would be
 * made from the old secret).
 */
export function privilegeChanged(ctx: HttpContext) {
  ctx.sessionTokens?.requestRotation()
  renewCsrfSecret(ctx.session)
}
