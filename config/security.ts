import env from '#start/env'
import { defineConfig } from '#kit/security'
import { familyStores } from '#config/session'
import { limiterStore } from '#config/limiter'
import { maskEmail, normalizeEmail } from '#validators/account_email'

/**
 * The settings of the kit's security module (see "Security" in
 * docs/sessions.md). Shield's own settings (CSP, CSRF, frames) are in
 * "config/shield.ts", the body size limits in "config/bodyparser.ts".
 */
const securityConfig = defineConfig({
  /**
   * Referrer-Policy, sent on every response (the bad-URL page sets it
   * itself). "same-origin": the app's own requests carry the full
   * Referer, which `response.redirect().back()` reads (a form sent with
   * errors goes back to "/login?next=..."); other sites get no Referer at
   * all. "no-referrer" would break that redirect back; the browsers'
   * default, "strict-origin-when-cross-origin", would tell other sites our
   * origin.
   */
  referrerPolicy: 'same-origin',

  /**
   * How deeply a JSON or multipart body may nest objects and arrays (the
   * body itself is level 1). A deeper body is refused with 400
   * E_BODY_TOO_DEEP before the route runs, a JSON one before it is even
   * parsed. Form fields nest 5 levels at most: the query-string parser's
   * `depth`.
   */
  maxBodyDepth: 64,

  /**
   * The throttle of the forms that check a secret or send mail (the
   * sign-in form; see "Security" in docs/sessions.md). Failures are
   * counted per account and address, and per address alone; reaching
   * either limit locks that key out, for longer each time. The counters
   * live in the limiter's store ("config/limiter.ts").
   */
  formThrottle: {
    /**
     * Failed attempts per account (an email) from one address before a
     * lockout. While locked, even the right password is refused.
     */
    accountAttempts: env.get('THROTTLE_ACCOUNT_ATTEMPTS', 5),

    /**
     * Failed attempts from one address, whatever the account, before that
     * address is locked out of the form.
     */
    ipAttempts: env.get('THROTTLE_IP_ATTEMPTS', 50),

    /**
     * Failures are forgotten this long after the first of them.
     */
    window: '15m',

    /**
     * The first lockout; each next one (of the same key, within
     * `rememberLockouts`) lasts twice as long, up to `maxLockout`.
     */
    lockout: env.get('THROTTLE_LOCKOUT', '1m'),
    maxLockout: '1h',
    rememberLockouts: '24h',

    /**
     * Accounts are counted as the app compares them, and logged masked.
     */
    accounts: { normalize: normalizeEmail, mask: maskEmail },

    /**
     * With the Redis store, the connection the throttle waits for at boot.
     */
    redisConnection: limiterStore === 'redis' ? familyStores.redis.connection : undefined,
  },
})

export default securityConfig
