import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'

/**
 * The embedded SQLite database file. Its folder is created here so that
 * a fresh clone needs no setup step.
 */
const sqliteFile = app.makePath(env.get('DB_SQLITE_FILE', 'tmp/db.sqlite3'))
mkdirSync(dirname(sqliteFile), { recursive: true })

const dbConfig = defineConfig({
  /**
   * The connection used when none is named.
   */
  connection: env.get('DB_CONNECTION', 'sqlite'),

  connections: {
    /**
     * SQLite through better-sqlite3: one file, no server. WAL mode lets
     * readers (an "ace repl", say) work while the app writes.
     */
    sqlite: {
      client: 'better-sqlite3',
      connection: {
        filename: sqliteFile,
      },
      useNullAsDefault: true,
      pool: {
        afterCreate: (connection: any, done: (error: Error | null, connection: any) => void) => {
          connection.pragma('journal_mode = WAL')
          connection.pragma('foreign_keys = ON')
          connection.pragma('busy_timeout = 5000')
          done(null, connection)
        },
      },
      migrations: {
        naturalSort: true,
        paths: ['database/migrations'],
      },
      seeders: {
        paths: ['database/seeders'],
      },
    },
  },
})

export default dbConfig
