import { randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mkdtemp, rm } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { SqliteConfig } from '@adonisjs/lucid/types/database'
import { runMigrations } from '#kit/testing/migrations'

/**
 * A SQLite database in a folder of its own under the OS temp folder, for a
 * spawned server (pass `file` as DB_SQLITE_FILE) and for the test to read
 * afterwards. `destroy()` removes the folder.
 */
export class TempDatabase {
  /**
   * Creates the database, migrated unless `migrate` is false (an empty
   * file then: no tables at all).
   */
  static async create(options: { migrate?: boolean } = {}) {
    const database = new TempDatabase(await mkdtemp(join(tmpdir(), 'starter-kit-faults-')))
    if (options.migrate !== false) {
      await database.migrate()
    }
    return database
  }

  /**
   * The SQLite file (absolute path).
   */
  readonly file: string

  /**
   * The Lucid connection of this process to the file.
   */
  readonly connectionName = `temp_${randomUUID().replaceAll('-', '')}`

  /**
   * The connection is the app's "sqlite" connection (same driver, pragmas
   * and migrations) pointed at the file.
   */
  constructor(readonly directory: string) {
    this.file = join(directory, 'db.sqlite3')
    const sqlite = app.config.get<SqliteConfig>('database.connections.sqlite')
    db.manager.add(this.connectionName, {
      ...sqlite,
      connection: { ...sqlite.connection, filename: this.file },
    })
  }

  /**
   * Runs the app's migrations, then closes this process' connection so
   * that the server has the file to itself.
   */
  async migrate() {
    await runMigrations(this.connectionName)
    await db.manager.close(this.connectionName)
  }

  /**
   * The rows of the "sessions" table.
   */
  async sessions(): Promise<{ id: string; data: string }[]> {
    return db.connection(this.connectionName).from('sessions').select('id', 'data')
  }

  /**
   * Closes the connection and removes the folder.
   */
  async destroy() {
    await db.manager.release(this.connectionName)
    await rm(this.directory, { recursive: true, force: true })
  }
}
