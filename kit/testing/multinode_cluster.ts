import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import db from '@adonisjs/lucid/services/db'
import { RedisConnection } from '@adonisjs/redis'
import DemoUsersSeeder from '#database/seeders/demo_users_seeder'
import { generateAppKey } from '#kit/runtime/src/first_run/app_key'
import { AppProcess } from '#kit/testing/app_process'
import { TcpProxy } from '#kit/testing/tcp_proxy'
import { POSTGRES, REDIS, missingServices } from '#kit/testing/multinode_services'
import type { SessionInspector } from '#kit/testing/session_inspector'
import { RedisSessionInspector } from '#kit/testing/redis_session_inspector'
import { DatabaseSessionInspector } from '#kit/testing/database_session_inspector'

const APP_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Where sessions live in a cluster: Redis, or the PostgreSQL table.
 */
export type SessionDriver = 'redis' | 'database'

/**
 * Runs an ace command the way a deployment does (production, environment
 * variables only) and resolves when it succeeded.
 */
function runAce(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['ace.js', ...args], {
      cwd: APP_ROOT,
      env: {
        PATH: process.env.PATH!,
        TZ: 'UTC',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
        ENV_PATH: 'kit/testing/fixtures/no-env/',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`ace ${args.join(' ')} failed:\n${output}`))
    )
  })
}

/**
 * Two production app processes sharing one Redis server and one
 * PostgreSQL database: what a load balancer spreads requests over.
 * Instance A reaches both servers directly, instance B through TCP
 * proxies, so a test can cut B off from one of them while A keeps
 * working.
 *
 * Everything it creates is its own and removed by `stop()`: a PostgreSQL
 * schema holding the app's tables (migrated with "node ace migration:run
 * --force", sessions in the "app_sessions" table), and Redis keys under a
 * prefix of its own.
 */
export class Cluster {
  readonly id = randomBytes(4).toString('hex')
  readonly schema: string
  readonly redisPrefix: string
  readonly limiterPrefix: string
  readonly sessionTable = 'app_sessions'
  readonly appKey = generateAppKey()

  a!: AppProcess
  b!: AppProcess
  proxies!: { redis: TcpProxy; postgres: TcpProxy }
  sessions!: SessionInspector

  #redis?: RedisConnection
  #connectionName: string

  /**
   * `env` is added to the environment of both instances (limits of the
   * sign-in throttle, for example).
   */
  constructor(
    readonly driver: SessionDriver,
    readonly env: Record<string, string> = {}
  ) {
    this.schema = `multinode_${this.id}_${driver}`
    this.redisPrefix = `multinode-${this.id}:sess:`
    this.limiterPrefix = `multinode-${this.id}:limit:`
    this.#connectionName = `multinode_${this.id}`
  }

  /**
   * A Lucid connection to the cluster's schema.
   */
  get db() {
    return db.connection(this.#connectionName)
  }

  /**
   * Creates and migrates the schema, seeds the demo users and starts both
   * instances. Resolves false, having started nothing, when Redis or
   * PostgreSQL is missing (outside CI: see "multinode_services.ts").
   */
  async start(): Promise<boolean> {
    const missing = await missingServices()
    if (missing.length) {
      return false
    }

    try {
      db.manager.add(this.#connectionName, {
        client: 'pg',
        connection: POSTGRES,
        searchPath: [this.schema],
        pool: { min: 0, max: 4 },
      })
      this.#redis = new RedisConnection(`multinode_${this.id}`, REDIS)

      this.proxies = {
        redis: await TcpProxy.start(REDIS),
        postgres: await TcpProxy.start(POSTGRES),
      }

      /**
       * The instances touch neither server before their first request, so
       * they start while the schema is migrated and seeded.
       */
      ;[, this.a, this.b] = await Promise.all([
        this.#migrateAndSeed(),
        AppProcess.start(this.#env(REDIS, POSTGRES)),
        AppProcess.start(
          this.#env(
            { ...REDIS, port: this.proxies.redis.port },
            { ...POSTGRES, port: this.proxies.postgres.port }
          )
        ),
      ])

      this.sessions =
        this.driver === 'redis'
          ? new RedisSessionInspector(this.#redis, this.redisPrefix)
          : new DatabaseSessionInspector(this.db, this.sessionTable)
      return true
    } catch (error) {
      await this.stop()
      throw error
    }
  }

  /**
   * Stops both instances and removes the schema and the Redis keys.
   */
  async stop() {
    await Promise.all([this.a?.stop(), this.b?.stop()])
    await Promise.all([this.proxies?.redis.close(), this.proxies?.postgres.close()])

    if (db.manager.has(this.#connectionName)) {
      await this.db.rawQuery('DROP SCHEMA IF EXISTS ?? CASCADE', [this.schema])
      await db.manager.close(this.#connectionName, true)
    }
    if (this.#redis) {
      await new RedisSessionInspector(this.#redis, this.redisPrefix).clear()
      await new RedisSessionInspector(this.#redis, this.limiterPrefix).clear()
      await this.#redis.quit()
    }
  }

  /**
   * The keys of the sign-in throttle in Redis (LIMITER_STORE=redis).
   */
  limiterKeys() {
    return new RedisSessionInspector(this.#redis!, this.limiterPrefix).keys()
  }

  /**
   * The keys of the sign-in throttle in PostgreSQL (LIMITER_STORE=database).
   */
  async limiterRows(): Promise<string[]> {
    const rows = await this.db.from('rate_limits').select('key')
    return rows.map((row) => row.key)
  }

  /**
   * Creates the schema, migrates it as a deployment does, and adds the
   * demo users.
   */
  async #migrateAndSeed() {
    await this.db.rawQuery('CREATE SCHEMA ??', [this.schema])
    await runAce(['migration:run', '--force'], this.#env(REDIS, POSTGRES))
    await new DemoUsersSeeder(this.db).run()
  }

  /**
   * The environment of an instance (and of the migration), reaching Redis
   * and PostgreSQL at the given addresses.
   */
  #env(
    redis: { host: string; port: number },
    postgres: { host: string; port: number }
  ): Record<string, string> {
    return {
      APP_KEY: this.appKey,
      SESSION_DRIVER: this.driver,
      SESSION_TABLE: this.sessionTable,
      SESSION_REDIS_PREFIX: this.redisPrefix,
      LIMITER_REDIS_PREFIX: this.limiterPrefix,
      REDIS_HOST: redis.host,
      REDIS_PORT: String(redis.port),
      DB_CONNECTION: 'pg',
      PG_HOST: postgres.host,
      PG_PORT: String(postgres.port),
      PG_USER: POSTGRES.user,
      PG_DB_NAME: POSTGRES.database,
      PG_SCHEMA: this.schema,
      ...this.env,
    }
  }
}
