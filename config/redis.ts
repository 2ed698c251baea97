import env from '#start/env'
import { defineConfig } from '@adonisjs/redis'
import type { InferConnections } from '@adonisjs/redis/types'

/**
 * How long a Redis command may take, and how long connecting may take,
 * before it fails (ms). A request that needs Redis then answers 503
 * instead of waiting.
 */
const COMMAND_TIMEOUT_MS = 2000
const CONNECT_TIMEOUT_MS = 2000

const redisConfig = defineConfig({
  connection: 'main',

  connections: {
    /**
     * The connection sessions use with SESSION_DRIVER=redis. Nothing
     * connects to Redis unless something uses it.
     */
    main: {
      host: env.get('REDIS_HOST', '127.0.0.1'),
      port: env.get('REDIS_PORT', 6379),
      password: env.get('REDIS_PASSWORD') || undefined,
      db: env.get('REDIS_DB', 0),

      /**
       * Session keys carry their own prefix (SESSION_REDIS_PREFIX, see
       * "config/session.ts"); this one would not apply to them.
       */
      keyPrefix: '',

      /**
       * Fail fast when Redis is unreachable or hangs: commands are not
       * queued while disconnected, a command without an answer fails after
       * COMMAND_TIMEOUT_MS, and a command interrupted by a lost connection
       * is not sent again later (the request already answered 503).
       */
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      autoResendUnfulfilledCommands: false,

      /**
       * Reconnect forever, at most every 2 seconds: the app recovers by
       * itself when Redis is back.
       */
      retryStrategy(attempt) {
        return Math.min(attempt * 100, 2000)
      },
    },
  },
})

export default redisConfig

declare module '@adonisjs/redis/types' {
  export interface RedisConnections extends InferConnections<typeof redisConfig> {}
}
