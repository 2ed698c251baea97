import app from '@adonisjs/core/services/app'
import string from '@adonisjs/core/helpers/string'
import { configProvider } from '@adonisjs/core'
import type { SessionConfig, SessionStoreFactory } from '@adonisjs/session/types'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import type { RedisConnection } from '@adonisjs/redis'
import { appKey } from '#config/app'
import { familyStores } from '#config/session'
import sessionSecurity from '#config/session_security'
import { DatabaseFamilyStore } from '#session/database_family_store'
import { RedisFamilyStore } from '#session/redis_family_store'
import type { SessionFamilyStore, SessionPolicy } from '#session/types'

/**
 * "config/session.ts", resolved.
 */
export type ResolvedSessionConfig = SessionConfig & {
  store: string
  stores: Record<string, SessionStoreFactory>
}

/**
 * What the session middleware works with.
 */
export type SessionRuntime = {
  config: ResolvedSessionConfig
  /**
   * The family store of the configured driver; undefined for the cookie
   * store, which keeps nothing on the server.
   */
  families?: SessionFamilyStore
  policy: SessionPolicy
}

let runtime: Promise<SessionRuntime> | undefined

/**
 * Builds the session runtime from the config once, on first use.
 */
export function sessionRuntime(): Promise<SessionRuntime> {
  runtime ??= (async () => {
    const config = (await configProvider.resolve<ResolvedSessionConfig>(
      app,
      app.config.get('session')
    ))!

    const policy: SessionPolicy = {
      rotationIntervalMs: sessionSecurity.rotationIntervalMs,
      graceWindowMs: sessionSecurity.graceWindowMs,
      absoluteLifetimeMs: sessionSecurity.absoluteLifetimeMs,
      theftDetection: sessionSecurity.theftDetection,
      idleTimeoutMs: string.seconds.parse(config.age) * 1000,
    }

    const families = await familyStoreFor(config.store)

    return { config, families, policy }
  })()
  return runtime
}

/**
 * The family store of a session driver (see `familyStores` in
 * "config/session.ts"); undefined for the cookie store.
 */
async function familyStoreFor(driver: string): Promise<SessionFamilyStore | undefined> {
  switch (driver) {
    case 'database':
      return new DatabaseFamilyStore(
        db.connection(),
        appKey.release(),
        familyStores.database.tableName
      )
    case 'redis':
      return new RedisFamilyStore(
        await connectToRedis(),
        appKey.release(),
        familyStores.redis.keyPrefix
      )
    default:
      return undefined
  }
}

/**
 * The Redis connection of the session store, once its first connection
 * attempt is over. Commands are not queued while connecting (see
 * "config/redis.ts"), so the first requests would otherwise fail.
 *
 * Connection errors are not logged one by one (ioredis reports every
 * reconnection attempt): `storeOutages` logs one line per outage.
 */
async function connectToRedis(): Promise<RedisConnection> {
  redis.doNotLogErrors()
  const connection = redis.connection(familyStores.redis.connection)
  if (connection.status !== 'ready') {
    await connection.once(['ready', 'error', 'end'])
  }
  return connection
}
