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
     * SQLite through the sqlite3 package: one file, no server. WAL mode lets
     * readers (an "ace repl", say) work while the app writes.
     *
     * Why not better-sqlite3: its 12.x line crashes Node 24.19+ when the
     * garbage collector frees a statement, and 13.x needs Node 22. sqlite3
     * is built on Node-API, so one build serves Node 20 and Node 24.
     */
    sqlite: {
      client: 'sqlite3',
      connection: {
        filename: sqliteFile,
      },
      useNullAsDefault: true,
      pool: {
        afterCreate: (connection: any, done: (error: Error | null, connection: any) => void) => {
          connection.exec(
            'PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
            (error: Error | null) => done(error, connection)
          )
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
