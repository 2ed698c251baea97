import string from '@adonisjs/core/helpers/string'
import type { ClaimValidator } from '#claims/claim'
import type { SessionPolicy } from '#session/types'

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
   * from 0 to 300 seconds).
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
}

/**
 * The resolved settings: durations in milliseconds. Everything but the
 * claims goes into the session policy (see
 * "providers/session_families_provider.ts").
 */
export type ResolvedSessionSecurityConfig = Omit<SessionPolicy, 'idleTimeoutMs'> & {
  globalClaims: ClaimValidator[]
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

  return {
    rotationIntervalMs,
    graceWindowMs,
    absoluteLifetimeMs,
    theftDetection: config.theftDetection,
    globalClaims: config.globalClaims,
  }
}

/**
 * Parses a duration such as '15m', '30s' or '7d' into milliseconds.
 */
export function parseDuration(name: string, value: string): number {
  const milliseconds = string.milliseconds.parse(value)
  if (typeof milliseconds !== 'number' || !Number.isFinite(milliseconds) || milliseconds < 0) {
    throw new Error(`session ${name} "${value}" is not a duration (examples: "30s", "15m", "7d")`)
  }
  return milliseconds
}
