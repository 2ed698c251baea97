import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'

/**
 * The connection used when none is named: "sqlite" (embedded, the
 * default) or "pg" (PostgreSQL, for several machines).
 */
const defaultConnection = env.get('DB_CONNECTION', 'sqlite')

/**
 * The embedded SQLite database file. When SQLite is the default
 * connection, its folder is created here so that a fresh clone needs no
 * setup step (a PostgreSQL deployment writes nothing to disk).
 */
const sqliteFile = app.makePath(env.get('DB_SQLITE_FILE', 'tmp/db.sqlite3'))
if (defaultConnection === 'sqlite') {
  mkdirSync(dirname(sqliteFile), { recursive: true })
}

/**
 * How PostgreSQL is reached. Connecting fails after 3 seconds, and a
 * query that gets no answer after PG_QUERY_TIMEOUT ms (0: never), so a
 * hung server gives 503 responses rather than requests that never end.
 */
const pgConnection = {
  host: env.get('PG_HOST', '127.0.0.1'),
  port: env.get('PG_PORT', 5432),
  user: env.get('PG_USER', 'postgres'),
  password: env.get('PG_PASSWORD'),
  database: env.get('PG_DB_NAME', 'postgres'),
  connectionTimeoutMillis: 3000,
  query_timeout: env.get('PG_QUERY_TIMEOUT', 10_000),
}

/**
 * Schema classes: "node ace migration:run" (outside production) scans the
 * database and writes "database/schema.ts", one class of typed columns per
 * table, which the models extend. The session families' table and the
 * limiter's "rate_limits" are their stores' own (no model reads them), so
 * they get no class.
 */
const schemaGeneration = {
  excludeTables: [env.get('SESSION_TABLE', 'sessions'), 'rate_limits'],
}

const dbConfig = defineConfig({
  connection: defaultConnection,

  connections: {
    /**
     * SQLite through better-sqlite3: one file, no server, and a synchronous
     * driver (no thread-pool hop per query). WAL mode lets readers (an
     * "ace repl", say) work while the app writes, and with
     * `synchronous = NORMAL` a commit does not wait for the disk (fsync):
     * the database cannot be corrupted, though a power cut may lose the
     * last commits (sessions marked used, say). Use FULL if that matters.
     */
    sqlite: {
      client: 'better-sqlite3',
      connection: {
        filename: sqliteFile,
      },
      useNullAsDefault: true,
      pool: {
        afterCreate: (connection: any, done: (error: Error | null, connection: any) => void) => {
          try {
            connection.pragma('journal_mode = WAL')
            connection.pragma('synchronous = NORMAL')
            connection.pragma('foreign_keys = ON')
            connection.pragma('busy_timeout = 5000')
            done(null, connection)
          } catch (error) {
            done(error as Error, connection)
          }
        },
      },
      migrations: {
        naturalSort: true,
        paths: ['database/migrations'],
      },
      seeders: {
        paths: ['database/seeders'],
      },
      schemaGeneration,
    },

    /**
     * PostgreSQL through pg, shared by every instance of the app. The
     * tables live in PG_SCHEMA ("public" unless set), so several apps can
     * share one database with a schema each.
     *
     * Waiting for a free connection fails after 5 seconds: when PostgreSQL
     * is down, requests answer 503 quickly. Idle connections are closed
     * (min: 0), so connections broken by an outage are replaced.
     */
    pg: {
      client: 'pg',
      connection: pgConnection,
      searchPath: [env.get('PG_SCHEMA', 'public')],
      pool: {
        min: 0,
        max: 10,
        createTimeoutMillis: 3000,
        acquireTimeoutMillis: 5000,
      },
      migrations: {
        naturalSort: true,
        paths: ['database/migrations'],
      },
      seeders: {
        paths: ['database/seeders'],
      },
      schemaGeneration,
    },
  },
})

export default dbConfig
