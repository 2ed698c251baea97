import string from '@adonisjs/core/helpers/string'
import type { ClaimValidator } from '#kit/sessions/src/claims/claim'
import type { SessionPolicy } from '#kit/sessions/src/types'

/**
 * The settings of "config/session_security.ts".
 */
export type SessionSecurityConfig = {
  /**
   * Rotate the session token after this much use ('15m').
   */
  rotationInterval: string
  /**
   * How long the previous token keeps working after a rotation ('30s',
   * from 0 to 300 seconds, and shorter than the rotation interval).
   */
  graceWindow: string
  /**
   * Sessions end this long after sign-in, used or not ('7d').
   */
  absoluteLifetime: string
  /**
   * Revoke the whole session family when a rotated token is reused after
   * the grace window (true), or only refuse that token (false).
   */
  theftDetection: boolean
  /**
   * Claim validators every `middleware.auth()` route checks.
   */
  globalClaims: ClaimValidator[]
  /**
   * Where the session families live, for each server-side store: the
   * table of the database store, the Redis connection and key prefix of
   * the Redis one ("familyStores" in "config/session.ts").
   */
  familyStores?: FamilyStoresConfig
  /**
   * Name of the cookie holding the CSRF secret of visitors without a
   * stored session ("csrfCookieName" in "config/session.ts").
   */
  csrfCookieName?: string
}

/**
 * Where the families of each server-side store live.
 */
export type FamilyStoresConfig = {
  database: { tableName: string }
  redis: { connection: string; keyPrefix: string }
}

/**
 * The resolved settings: durations in milliseconds. The durations and
 * `theftDetection` go into the session policy (see
 * "kit/sessions/provider.ts").
 */
export type ResolvedSessionSecurityConfig = Omit<SessionPolicy, 'idleTimeoutMs'> & {
  globalClaims: ClaimValidator[]
  familyStores: FamilyStoresConfig
  csrfCookieName: string
}

/**
 * Validates and resolves the session security settings. Mistakes stop
 * the boot with a message saying what to fix.
 */
export function defineConfig(config: SessionSecurityConfig): ResolvedSessionSecurityConfig {
  const rotationIntervalMs = parseDuration('rotationInterval', config.rotationInterval)
  const graceWindowMs = parseDuration('graceWindow', config.graceWindow)
  const absoluteLifetimeMs = parseDuration('absoluteLifetime', config.absoluteLifetime)

  if (graceWindowMs > 300_000) {
    throw new Error(
      `session graceWindow is "${config.graceWindow}"; it must be between 0s and 300s (5 minutes)`
    )
  }
  if (rotationIntervalMs <= 0) {
    throw new Error(`session rotationInterval is "${config.rotationInterval}"; it must be above 0`)
  }
  /**
   * A token rotated twice within one grace window would leave its first
   * predecessor "in grace" but two generations old: a false theft.
   */
  if (graceWindowMs >= rotationIntervalMs) {
    throw new Error(
      `session graceWindow is "${config.graceWindow}" and rotationInterval ` +
        `"${config.rotationInterval}"; the grace window must be shorter than the rotation interval`
    )
  }

  return {
    rotationIntervalMs,
    graceWindowMs,
    absoluteLifetimeMs,
    theftDetection: config.theftDetection,
    globalClaims: config.globalClaims,
    familyStores: config.familyStores ?? {
      database: { tableName: 'sessions' },
      redis: { connection: 'main', keyPrefix: 'sess:' },
    },
    csrfCookieName: config.csrfCookieName ?? 'adonis-csrf',
  }
}

/**
 * Parses a duration such as '15m', '30s' or '7d' into milliseconds.
 */
export function parseDuration(name: string, value: string): number {
  let milliseconds: number | undefined
  try {
    /**
     * The parser refuses a zero ("0s"), which a grace window may be
     */
    milliseconds = /^0+\s*(ms|s|m|h|d)?$/.test(value) ? 0 : string.milliseconds.parse(value)
  } catch {}
  if (typeof milliseconds !== 'number' || !Number.isFinite(milliseconds) || milliseconds < 0) {
    throw new Error(`session ${name} "${value}" is not a duration (examples: "30s", "15m", "7d")`)
  }
  return milliseconds
}
