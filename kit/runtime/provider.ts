import type { ApplicationService } from '@adonisjs/core/types'
import type { BaseCommand } from '@adonisjs/core/ace'
import { AfterResponseTasks } from './src/after_response_tasks.js'
import { PendingMigrations, pendingMigrationsMessage } from './src/pending_migrations.js'
import { ensurePgSchema } from './src/pg_schema.js'
import { closeUnreachableRedis } from './src/unreachable_redis.js'

/**
 * The ace commands that create tables: before they run, the PostgreSQL
 * schema their connection creates tables in is created when missing.
 */
const MIGRATING_COMMANDS = new Set(['migration:run', 'migration:fresh', 'migration:refresh'])

/**
 * Registers the runtime module's services and keeps the process healthy
 * around them:
 *
 * - `AfterResponseTasks` (work a request leaves to run after its
 *   response, such as mailing a reset link), one instance per process;
 * - `PendingMigrations` (one per process), and when the production server
 *   starts, a warning about migrations that have not run;
 * - in development, in the web environment only, the first run: before
 *   the HTTP server starts, a new database is migrated and seeded with the
 *   demo users, so "npm run dev" works on a fresh clone. Production
 *   databases are migrated with "node ace migration:run --force";
 * - for ace commands only, the PostgreSQL schema made before migrations;
 * - at shutdown, the tasks still running are awaited, then the Redis
 *   connections that are not connected are closed.
 *
 * Listed last in "adonisrc.ts": @adonisjs/application shuts providers down
 * in reverse order, so this provider's `shutdown` runs first: the tasks end
 * before Lucid closes the database and the mail provider its transports,
 * and the unreachable Redis connections are closed before the Redis
 * provider quits the others.
 */
export default class RuntimeProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(AfterResponseTasks, () => new AfterResponseTasks())
    this.app.container.singleton(PendingMigrations, async (resolver) => {
      return new PendingMigrations(this.app, await resolver.make('lucid.db'))
    })
  }

  async start() {
    /**
     * Not when the app is only assembled to be inspected ("warmup" mode,
     * as "node ace codegen" does): that app is never shut down, so an open
     * database connection would keep the command from exiting.
     */
    if (this.app.getEnvironment() !== 'web' || !this.app.inDev || this.app.getMode() !== 'run') {
      return
    }

    const { setupNewDatabase } = await import('./src/first_run/database.js')
    const db = await this.app.container.make('lucid.db')
    await setupNewDatabase(this.app, db, { log: (line) => console.log(line) })
  }

  async ready() {
    if (this.app.getEnvironment() === 'console') {
      await this.#createPgSchemaBeforeMigrations()
    }
    if (this.app.inProduction && this.app.getEnvironment() === 'web') {
      await this.#warnAboutPendingMigrations()
    }
  }

  /**
   * Waits for the tasks still running, then closes the Redis connections
   * that are not connected.
   */
  async shutdown() {
    const tasks = await this.app.container.make(AfterResponseTasks)
    await tasks.settled()
    await this.#closeUnreachableRedis()
  }

  /**
   * Makes "node ace migration:run" work on a fresh PostgreSQL database
   * whose schema (the connection's `searchPath`, PG_SCHEMA in this app)
   * does not exist yet: the schema is created first, with one line saying
   * so. A dry run creates nothing. For ace commands only: the HTTP server
   * never creates schemas, so its database user needs no CREATE privilege.
   */
  async #createPgSchemaBeforeMigrations() {
    const ace = await this.app.container.make('ace')
    ace.executing(async (command: BaseCommand) => {
      const { commandName } = command.constructor as typeof BaseCommand
      const flags = command as BaseCommand & { connection?: string; dryRun?: boolean }
      if (!MIGRATING_COMMANDS.has(commandName) || flags.dryRun) {
        return
      }

      const db = await this.app.container.make('lucid.db')
      const connectionName = flags.connection || db.primaryConnectionName
      const result = await ensurePgSchema(db, connectionName)
      if (result.action === 'created') {
        command.logger.info(`created the PostgreSQL schema "${result.schema}"`)
      }
    })
  }

  /**
   * Warns about migrations that have not run, naming the command that runs
   * them: without this the server starts, readiness fails and only a "no
   * such table" error in the log hints at why. The check does not hold the
   * start back; when the database cannot be reached, the database's own
   * errors say so and nothing is logged here.
   */
  async #warnAboutPendingMigrations() {
    const [pendingMigrations, logger] = await Promise.all([
      this.app.container.make(PendingMigrations),
      this.app.container.make('logger'),
    ])
    pendingMigrations
      .list()
      .then((pending) => {
        if (pending.length > 0) {
          logger.warn(
            { event: 'migrations.pending', pending },
            pendingMigrationsMessage(pending.length)
          )
        }
      })
      .catch(() => {})
  }

  /**
   * Lets the app shut down cleanly (exit code 0) while Redis cannot be
   * reached: see `closeUnreachableRedis`. The Redis provider, listed
   * before this one, shuts down after it and then quits only connected
   * connections.
   */
  async #closeUnreachableRedis() {
    if (!this.app.container.hasBinding('redis')) {
      return
    }
    const [redis, logger] = await Promise.all([
      this.app.container.make('redis'),
      this.app.container.make('logger'),
    ])
    closeUnreachableRedis(redis, logger)
  }
}
