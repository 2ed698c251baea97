import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/limiter'
import type { InferLimiters } from '@adonisjs/limiter/types'
import { familyStores } from '#config/session'
import { defineFormThrottle } from '#kit/security/src/form_throttle_policy'

/**
 * The table of the database store (created by its migration).
 */
export const LIMITER_TABLE = 'rate_limits'

/**
 * Where the counters live. Unset, LIMITER_STORE follows SESSION_DRIVER:
 * Redis when sessions are in Redis (several instances share it), the
 * database otherwise (SQLite on one machine, PostgreSQL on several).
 */
export const limiterStore = env.get(
  'LIMITER_STORE',
  env.get('SESSION_DRIVER') === 'redis' ? 'redis' : 'database'
)

const limiterConfig = defineConfig({
  default: limiterStore,

  stores: {
    /**
     * The "rate_limits" table of the default Lucid connection. Every 5
     * minutes, rows expired for over an hour are deleted.
     */
    database: stores.database({
      tableName: LIMITER_TABLE,
      clearExpiredByTimeout: true,
    }),

    /**
     * Keys under LIMITER_REDIS_PREFIX on the Redis connection sessions use
     * ("config/redis.ts"): they expire by themselves. The store puts a
     * ":" after the prefix, so its trailing ":" is dropped here.
     */
    redis: stores.redis({
      connectionName: familyStores.redis.connection,
      keyPrefix: env.get('LIMITER_REDIS_PREFIX', 'limit:').replace(/:$/, ''),
    }),
  },
})

export default limiterConfig

/**
 * The throttle of the forms that check a secret or send mail (the sign-in
 * form; see "Security" in docs/sessions.md). Failures are counted per
 * account and address, and per address alone; reaching either limit
 * locks that key out, for longer each time.
 */
export const formThrottle = defineFormThrottle({
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
})

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
