import env from '#start/env'
import { defineConfig } from '#kit/sessions'
import { csrfCookieName, familyStores } from '#config/session'
import { mfa } from '#claims/mfa_claim'

/**
 * How signed-in sessions are protected (see "Sessions" in the README).
 */
const sessionSecurityConfig = defineConfig({
  /**
   * The session token in the cookie is replaced by a new one after this
   * much use, and at sign-in, sign-out and when privileges change.
   */
  rotationInterval: env.get('SESSION_ROTATION_INTERVAL', '15m'),

  /**
   * After a rotation, the previous token keeps working this long (requests
   * already in flight, other tabs) and leads to the same new token.
   */
  graceWindow: env.get('SESSION_ROTATION_GRACE', '30s'),

  /**
   * A session ends this long after sign-in, however active. The idle
   * timeout is the `age` in "config/session.ts".
   */
  absoluteLifetime: env.get('SESSION_ABSOLUTE_LIFETIME', '7d'),

  /**
   * A rotated token used after the grace window (or an older one) means
   * the cookie was copied. true: every session of that sign-in is revoked
   * and the request fails with E_TOKEN_THEFT_DETECTED. false: only that
   * token is refused, like an ended session; the current one keeps working.
   */
  theftDetection: true,

  /**
   * Claim validators checked on every `middleware.auth()` route, unless
   * the route passes its own list. Example: [emailVerified.isTrue()]
   *
   * `mfa.completed()`: users with a second factor must have given it in
   * this session (docs/mfa.md); users without one pass. Remove it to
   * require it only on the routes that add it.
   */
  globalClaims: [mfa.completed()],

  /**
   * Where the families live and the CSRF cookie's name, as set in
   * "config/session.ts" next to the session cookie.
   */
  familyStores,
  csrfCookieName,
})

if (sessionSecurityConfig.theftDetection && env.get('SESSION_DRIVER') === 'cookie') {
  throw new Error(
    'SESSION_DRIVER=cookie cannot detect token theft (the cookie store keeps no server-side ' +
      'record of rotated tokens). Use SESSION_DRIVER=database, or set theftDetection: false ' +
      'in config/session_security.ts'
  )
}

export default sessionSecurityConfig
