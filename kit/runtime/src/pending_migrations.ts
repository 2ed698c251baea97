import { join, extname } from 'node:path'
import { fsReadAll } from '@adonisjs/core/helpers'
import type { ApplicationService } from '@adonisjs/core/types'
import type { Database } from '@adonisjs/lucid/database'
import { isScriptFile } from '@poppinss/utils'

/**
 * The command that runs the pending migrations of a deployment.
 */
export const MIGRATE_COMMAND = 'node ace migration:run --force'

/**
 * The migrations of the default database connection that have not run,
 * found the way "node ace migration:status" finds them (the files of the
 * connection's migration paths, less the names Lucid recorded in its
 * "adonis_schema" table) but read-only: nothing is created, so the
 * server's database user needs no more than to read that table.
 *
 * One instance per process, from the container: once every migration has
 * run, later calls answer without a query (migrations are not undone
 * under a running server); while some are pending, each call looks again,
 * so readiness turns green as soon as the migrations have run.
 */
export class PendingMigrations {
  #allRan = false

  constructor(
    protected app: ApplicationService,
    protected db: Database
  ) {}

  /**
   * The names of the migrations that have not run ("database/migrations/
   * 1_create_users_table"), in file order.
   */
  async list(): Promise<string[]> {
    if (this.#allRan) {
      return []
    }

    const connectionName = this.db.primaryConnectionName
    const config = this.db.manager.get(connectionName)!.config
    const tableName = config.migrations?.tableName || 'adonis_schema'
    const paths = config.migrations?.paths?.length
      ? config.migrations.paths
      : [this.app.relativePath(this.app.migrationsPath()) || 'database/migrations']

    const folders = await Promise.all(paths.map((path) => this.#files(path)))
    const ran = await this.#ran(connectionName, tableName)

    const pending = folders.flat().filter((name) => !ran.has(name))
    this.#allRan = pending.length === 0
    return pending
  }

  /**
   * The names Lucid recorded as run (none when its table does not exist:
   * a database never migrated).
   */
  async #ran(connectionName: string, tableName: string): Promise<Set<string>> {
    const client = this.db.connection(connectionName)
    if (!(await client.schema.hasTable(tableName))) {
      return new Set()
    }
    const rows: { name: string }[] = await client.from(tableName).select('name')
    return new Set(rows.map((row) => row.name))
  }

  /**
   * The migration names of one folder, as Lucid names them (the path from
   * the app root, without the extension, with forward slashes).
   */
  async #files(directory: string): Promise<string[]> {
    const files = await fsReadAll(this.app.makePath(directory), {
      filter: isScriptFile,
      ignoreMissingRoot: true,
    })
    return files
      .sort()
      .map((file) => join(directory, file.slice(0, -extname(file).length)).replaceAll('\\', '/'))
  }
}

/**
 * The line that says what to do about pending migrations.
 */
export function pendingMigrationsMessage(count: number) {
  return `${count} database ${count === 1 ? 'migration has' : 'migrations have'} not run: run "${MIGRATE_COMMAND}"`
}
