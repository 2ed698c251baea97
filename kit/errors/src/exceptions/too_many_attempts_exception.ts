import type { HttpContext } from '@adonisjs/core/http'
import { errors, type LimiterResponse } from '@adonisjs/limiter'

/**
 * Which key of the form throttle is locked: the account from this
 * address, or the address whatever the account.
 */
export type ThrottleScope = 'account' | 'ip'

/**
 * What a refused attempt is about, for its log line (never the email in
 * clear, nor anything typed in the form).
 */
export type ThrottledAttempt = {
  /**
   * The form: 'sign_in', 'forgot_password'...
   */
  action: string
  scope: ThrottleScope
  /**
   * The masked email ("d***@example.com") and its keyed hash, when the
   * form is about an account.
   */
  email?: string
  emailHash?: string
}

/**
 * E_TOO_MANY_REQUESTS (429) from the form throttle (kit/security/src/
 * form_throttle.ts): the account+IP or the IP is locked out. The
 * exception handler answers it as every 429 (Retry-After, the 429 page or
 * a negotiated body) and reports it, as a security event, with `report`
 * below.
 */
export default class TooManyAttemptsException extends errors.E_TOO_MANY_REQUESTS {
  constructor(
    response: LimiterResponse,
    readonly attempt: ThrottledAttempt
  ) {
    super(response)
    this.setMessage('Too many failed attempts. Please wait before trying again.')
  }

  /**
   * Seconds until the lock ends (the Retry-After header).
   */
  get retryAfterSeconds() {
    return this.response.availableIn
  }

  /**
   * The "<action>.throttled" log line, with the request id (on every line
   * of `ctx.logger`) and the client's address.
   */
  report(error: this, ctx: HttpContext) {
    ctx.logger.warn(
      {
        event: `${error.attempt.action}.throttled`,
        ...error.attempt,
        ip: ctx.request.ip(),
        retryAfter: error.retryAfterSeconds,
      },
      'attempt refused: too many failed attempts'
    )
  }
}
