import type { HttpContext } from '@adonisjs/core/http'
import { FormThrottle } from '#kit/security'

/**
 * The account forms whose posts are throttled, named as the sign-in
 * throttle names its actions (keys and log lines).
 */
export type AccountFormAction =
  'sign_up' | 'forgot_password' | 'reset_password' | 'resend_verification' | 'change_email'

/**
 * Throttles one post of an account form with the sign-in throttle
 * (`FormThrottle`, on @adonisjs/limiter), counted against the client's IP
 * and, when given, the account it is about (an email address). Every post
 * counts, not only failures: these forms send mail or take a secret
 * token. `account` is what the form was sent with: anything but a string
 * is left out (the IP alone is counted then).
 *
 * A locked-out post is refused with E_TOO_MANY_REQUESTS (429 with
 * Retry-After) before the form is read any further; the lockout is
 * logged as "<action>.locked", the refusals as "<action>.throttled".
 */
export async function throttleAccountForm(
  ctx: HttpContext,
  action: AccountFormAction,
  account?: unknown
): Promise<void> {
  const throttle = await ctx.containerResolver.make(FormThrottle)
  const email = typeof account === 'string' ? account : undefined
  await throttle.attempt(ctx, { action, account: email, everyAttempt: true }, () => {})
}
