import string from '@adonisjs/core/helpers/string'
import { configProvider } from '@adonisjs/core'
import { RuntimeException } from '@adonisjs/core/exceptions'
import type { ApplicationService } from '@adonisjs/core/types'
import type { Secret } from '@adonisjs/core/helpers'
import type { RedisConnection } from '@adonisjs/redis'
import { SessionFamilies } from './src/session_families.js'
import { DatabaseFamilyStore } from './src/database_family_store.js'
import { RedisFamilyStore } from './src/redis_family_store.js'
import type { ResolvedSessionSecurityConfig } from './define_config.js'
import type { ResolvedSessionConfig, SessionFamilyStore, SessionPolicy } from './src/types.js'
import { type HttpsConfig, plainHttpWarning } from './src/plain_http.js'

/**
 * Registers the app's session families (the family store of the
 * configured driver, its policy and the resolved session config) as a
 * singleton, made once from the "session" and "session_security" configs
 * ("config/session.ts", "config/session_security.ts") when first resolved.
 */
export default class SessionFamiliesProvider {
  constructor(protected app: ApplicationService) {}

  /**
   * The session security settings (the default export of
   * "config/session_security.ts", made with this module's `defineConfig`).
   */
  get #security(): ResolvedSessionSecurityConfig {
    const security = this.app.config.get<ResolvedSessionSecurityConfig | undefined>(
      'session_security'
    )
    if (!security) {
      throw new RuntimeException(
        'Missing "config/session_security.ts" file. Export its settings made with "defineConfig" from "#kit/sessions"'
      )
    }
    return security
  }

  /**
   * The app key ("appKey" of "config/app.ts"): it keys the token hashes.
   */
  get #appKey(): string {
    return this.app.config.get<Secret<string>>('app.appKey').release()
  }

  /**
   * Resolves "config/session.ts" (every store it lists, as the session
   * package does).
   */
  async #resolveConfig(): Promise<Omit<ResolvedSessionConfig, 'csrfCookieName'>> {
    const config = await configProvider.resolve<Omit<ResolvedSessionConfig, 'csrfCookieName'>>(
      this.app,
      this.app.config.get('session')
    )
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
   * The family store of a session driver (see `familyStores` in the
   * session security config); undefined for the cookie store.
   */
  async #makeStore(driver: string): Promise<SessionFamilyStore | undefined> {
    const { familyStores } = this.#security
    switch (driver) {
      case 'database': {
        const db = await this.app.container.make('lucid.db')
        return new DatabaseFamilyStore(
          db.connection(),
          this.#appKey,
          familyStores.database.tableName
        )
      }
      case 'redis':
        return new RedisFamilyStore(
          await this.#connectToRedis(familyStores.redis.connection),
          this.#appKey,
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
  async #connectToRedis(name: string): Promise<RedisConnection> {
    const redis = await this.app.container.make('redis')
    redis.doNotLogErrors()
    const connection = redis.connection(name as Parameters<typeof redis.connection>[0])
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
      const sessionSecurity = this.#security
      const config = {
        ...(await this.#resolveConfig()),
        csrfCookieName: sessionSecurity.csrfCookieName,
      }
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

  /**
   * Warns as the production web server starts when browsers would reach it
   * over plain HTTP (config/https.ts: APP_URL http:, not a loopback host,
   * TLS not ended at a proxy; see `plainHttpWarning`). Without it, sign-in
   * fails with no word but an "Invalid or expired CSRF token" log line.
   */
  async ready() {
    if (this.app.getEnvironment() !== 'web' || !this.app.inProduction) {
      return
    }
    const config = this.app.config.get<HttpsConfig | undefined>('https', undefined)
    const warning = config?.cookies.secure ? plainHttpWarning(config) : undefined
    if (warning) {
      const logger = await this.app.container.make('logger')
      logger.warn({ event: 'http.plain_http' }, warning)
    }
  }
}
