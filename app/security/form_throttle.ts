import type { HttpContext } from '@adonisjs/core/http'

/**
 * The account forms whose posts are throttled, each with its own budget.
 */
export type ThrottledForm = 'signup' | 'forgot_password' | 'reset_password' | 'verification_resend'

/**
 * Throttles one post of an account form, keyed by the client's IP and,
 * when given, by what the post targets (an email address, a user id).
 *
 * The one place the account forms are throttled. It does nothing yet: it
 * is wired to @adonisjs/limiter once the sign-in throttling lands (issue
 * 15 item 2), with the same store and the same 429 answer.
 */
export async function throttleForm(
  _ctx: HttpContext,
  _form: ThrottledForm,
  _target?: string
): Promise<void> {}
