import string from '@adonisjs/core/helpers/string'
import { configProvider } from '@adonisjs/core'
import { RuntimeException } from '@adonisjs/core/exceptions'
import type { ApplicationService } from '@adonisjs/core/types'
import type { RedisConnection } from '@adonisjs/redis'
import { appKey } from '#config/app'
import sessionConfig, { familyStores } from '#config/session'
import sessionSecurity from '#config/session_security'
import { SessionFamilies } from '#kit/sessions/src/session_families'
import { DatabaseFamilyStore } from '#kit/sessions/src/database_family_store'
import { RedisFamilyStore } from '#kit/sessions/src/redis_family_store'
import type {
  ResolvedSessionConfig,
  SessionFamilyStore,
  SessionPolicy,
} from '#kit/sessions/src/types'

/**
 * Registers the app's session families (the family store of the
 * configured driver, its policy and the resolved session config) as a
 * singleton, made once from "config/session.ts" and
 * "config/session_security.ts" when first resolved.
 */
export default class SessionFamiliesProvider {
  constructor(protected app: ApplicationService) {}

  /**
   * Resolves "config/session.ts" (every store it lists, as the session
   * package does).
   */
  async #resolveConfig(): Promise<ResolvedSessionConfig> {
    const config = await configProvider.resolve<ResolvedSessionConfig>(this.app, sessionConfig)
    if (!config) {
      throw new RuntimeException(
        'Invalid "config/session.ts" file. Make sure you are using the "defineConfig" method'
      )
    }
    return config
  }

  /**
   * The session key of the signed-in user id: the `sessionKeyName` of the
   * "web" guard, read from a guard the auth manager builds outside of a
   * request (as its test client does).
   */
  async #userIdKey(): Promise<string> {
    const auth = await this.app.container.make('auth.manager')
    return auth.createAuthenticatorClient().use('web').sessionKeyName
  }

  /**
   * The family store of a session driver (see `familyStores` in
   * "config/session.ts"); undefined for the cookie store.
   */
  async #makeStore(driver: string): Promise<SessionFamilyStore | undefined> {
    switch (driver) {
      case 'database': {
        const db = await this.app.container.make('lucid.db')
        return new DatabaseFamilyStore(
          db.connection(),
          appKey.release(),
          familyStores.database.tableName
        )
      }
      case 'redis':
        return new RedisFamilyStore(
          await this.#connectToRedis(),
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
   * reconnection attempt): `StoreOutages` (kit/errors/src/store_outages.ts)
   * logs one line per outage.
   */
  async #connectToRedis(): Promise<RedisConnection> {
    const redis = await this.app.container.make('redis')
    redis.doNotLogErrors()
    const connection = redis.connection(familyStores.redis.connection)
    if (connection.status !== 'ready') {
      await connection.once(['ready', 'error', 'end'])
    }
    return connection
  }

  /**
   * Registering bindings
   */
  register() {
    this.app.container.singleton(SessionFamilies, async () => {
      const config = await this.#resolveConfig()
      const policy: SessionPolicy = {
        rotationIntervalMs: sessionSecurity.rotationIntervalMs,
        graceWindowMs: sessionSecurity.graceWindowMs,
        absoluteLifetimeMs: sessionSecurity.absoluteLifetimeMs,
        theftDetection: sessionSecurity.theftDetection,
        idleTimeoutMs: string.seconds.parse(config.age) * 1000,
      }

      return new SessionFamilies(
        config,
        policy,
        await this.#userIdKey(),
        await this.#makeStore(config.store)
      )
    })
  }
}
