import type { FormThrottleConfig, FormThrottlePolicy } from '#kit/security/src/form_throttle_policy'
import { defineFormThrottle } from '#kit/security/src/form_throttle_policy'

/**
 * How the form throttle names an account in its keys and log lines.
 */
export type ThrottledAccounts = {
  /**
   * The address as the app stores and compares it (so that two spellings
   * of one account share a counter).
   */
  normalize(email: string): string
  /**
   * The address as log lines show it ("d***@example.com").
   */
  mask(email: string): string
}

/**
 * The settings of "config/security.ts".
 */
export type SecurityConfig = {
  /**
   * Referrer-Policy of every response (pages, errors, JSON, static files
   * and the bad-URL page).
   */
  referrerPolicy: string

  /**
   * How deeply a JSON or multipart body may nest objects and arrays (the
   * body itself is level 1); a deeper one is refused with 400
   * E_BODY_TOO_DEEP before the route runs.
   */
  maxBodyDepth: number

  /**
   * The throttle of the forms that check a secret or send mail.
   */
  formThrottle: FormThrottleConfig & {
    /**
     * How accounts are normalised and masked: the app's own rules.
     */
    accounts: ThrottledAccounts
    /**
     * The Redis connection the limiter keeps its counters on, when its
     * store is Redis: the throttle waits for its first connection attempt
     * at boot. Undefined for the database store.
     */
    redisConnection?: string
  }
}

/**
 * The resolved settings.
 */
export type ResolvedSecurityConfig = {
  referrerPolicy: string
  maxBodyDepth: number
  formThrottle: FormThrottlePolicy & {
    accounts: ThrottledAccounts
    redisConnection?: string
  }
}

/**
 * Validates and resolves the security settings. Mistakes stop the boot
 * with a message saying what to fix.
 */
export function defineConfig(config: SecurityConfig): ResolvedSecurityConfig {
  if (!Number.isInteger(config.maxBodyDepth) || config.maxBodyDepth < 1) {
    throw new Error(`maxBodyDepth is ${config.maxBodyDepth}; it must be a whole number above 0`)
  }
  const { accounts, redisConnection, ...throttle } = config.formThrottle
  return {
    referrerPolicy: config.referrerPolicy,
    maxBodyDepth: config.maxBodyDepth,
    formThrottle: { ...defineFormThrottle(throttle), accounts, redisConnection },
  }
}
