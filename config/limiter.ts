import env from '#start/env'
import { defineConfig, stores } from '@adonisjs/limiter'
import type { InferLimiters } from '@adonisjs/limiter/types'
import { familyStores } from '#config/session'

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

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
