import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/**
 * The parts of a better-sqlite3 prepared statement the app uses.
 */
export type SqliteStatement = {
  get(...params: unknown[]): unknown
  all(...params: unknown[]): unknown[]
  run(...params: unknown[]): { changes: number }
}

/**
 * The parts of a better-sqlite3 database connection the app uses.
 */
export type SqliteDatabase = {
  open: boolean
  inTransaction: boolean
  prepare(sql: string): SqliteStatement
  exec(sql: string): void
}

/**
 * The pool of a Lucid connection (knex's client underneath).
 */
type KnexPool = {
  acquireConnection(): Promise<SqliteDatabase>
  releaseConnection(connection: SqliteDatabase): Promise<void>
}

/**
 * Prepared statements on the one better-sqlite3 connection of a Lucid
 * SQLite connection, for the queries every signed-in request makes.
 *
 * Lucid's pool holds one connection for SQLite. A transaction borrows it
 * from the pool until it ends, as Lucid's do, so the two wait for each
 * other. A single statement runs synchronously (better-sqlite3 is
 * synchronous): on the connection at once when no transaction is open on
 * it, which is when nothing else uses it (nothing can run during a
 * synchronous call), else borrowed from the pool, after that transaction.
 * Either way it sees only committed rows, in the order Lucid's own queries
 * would, without building, compiling and preparing the SQL of each query
 * again (knex prepares every statement anew). Statements are prepared
 * once per connection, and again if the pool replaced it.
 */
export class SqliteConnection {
  #statements = new Map<string, SqliteStatement>()
  #preparedOn?: SqliteDatabase

  /**
   * The pool's connection, once it has been borrowed.
   */
  #known?: SqliteDatabase

  constructor(protected pool: KnexPool) {}

  /**
   * The prepared-statement access of a Lucid connection; undefined unless
   * it is SQLite through better-sqlite3.
   */
  static of(client: QueryClientContract): SqliteConnection | undefined {
    if (client.dialect.name !== 'better-sqlite3') {
      return undefined
    }
    return new SqliteConnection((client.getWriteClient() as any).client as KnexPool)
  }

  /**
   * Runs `work` (synchronous: single statements) on the connection: at
   * once when no transaction holds it, else once the pool lends it.
   */
  async use<T>(work: (connection: SqliteDatabase) => T): Promise<T> {
    const known = this.#known
    if (known?.open && !known.inTransaction) {
      return work(known)
    }
    const connection = await this.#borrow()
    try {
      return work(connection)
    } finally {
      await this.pool.releaseConnection(connection)
    }
  }

  async #borrow() {
    const connection = await this.pool.acquireConnection()
    this.#known = connection
    return connection
  }

  /**
   * Runs `work` in a write transaction (BEGIN IMMEDIATE: SQLite takes the
   * write lock at once), with the connection borrowed until it commits or
   * rolls back. Nothing else uses the connection meanwhile.
   */
  async transaction<T>(work: (connection: SqliteDatabase) => Promise<T>): Promise<T> {
    const connection = await this.#borrow()
    try {
      connection.exec('BEGIN IMMEDIATE')
      try {
        const result = await work(connection)
        connection.exec('COMMIT')
        return result
      } catch (error) {
        if (connection.inTransaction) {
          connection.exec('ROLLBACK')
        }
        throw error
      }
    } finally {
      await this.pool.releaseConnection(connection)
    }
  }

  /**
   * The prepared statement of `sql` on a connection (prepared on first
   * use).
   */
  statement(connection: SqliteDatabase, sql: string): SqliteStatement {
    if (this.#preparedOn !== connection) {
      this.#statements.clear()
      this.#preparedOn = connection
    }
    let statement = this.#statements.get(sql)
    if (!statement) {
      statement = connection.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }
}

/**
 * An identifier (table or column name) quoted for SQLite.
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
