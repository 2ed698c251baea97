import type { HttpContext } from '@adonisjs/core/http'

/**
 * The account forms whose posts are throttled, named as the sign-in
 * throttle names its actions (keys and log lines).
 */
export type AccountFormAction =
  'sign_up' | 'forgot_password' | 'reset_password' | 'resend_verification'

/**
 * Throttles one post of an account form, counted against the client's IP
 * and, when given, the account it is about (an email address). Every post
 * counts: these forms send mail or take a secret token. `account` is
 * what the form was sent with: anything but a string is left out.
 *
 * The one place the account forms are throttled. It lets every post
 * through until it is wired to the sign-in throttle on @adonisjs/limiter
 * (issue 15 item 2): its body then becomes
 *
 *   const throttle = await ctx.containerResolver.make(FormThrottle)
 *   const email = typeof account === 'string' ? account : undefined
 *   await throttle.attempt(ctx, { action, account: email, everyAttempt: true }, () => {})
 *
 * which refuses a locked-out post with E_TOO_MANY_REQUESTS (429).
 */
export async function throttleAccountForm(
  _ctx: HttpContext,
  _action: AccountFormAction,
  _account?: unknown
): Promise<void> {}
