import type { SessionRow, SessionRows } from '#session/session_rows'
import {
  quoteIdentifier,
  type SqliteConnection,
  type SqliteDatabase,
} from '#services/sqlite_connection'

/**
 * The sessions table through prepared better-sqlite3 statements (see
 * "app/services/sqlite_connection.ts"): the same statements as
 * `LucidSessionRows`, without building the SQL of each. A transaction
 * holds SQLite's write lock from its start (BEGIN IMMEDIATE), so
 * concurrent rotations agree on one successor.
 */
export class SqliteSessionRows implements SessionRows {
  #table: string

  constructor(
    protected connection: SqliteConnection,
    protected tableName: string,
    /**
     * The connection of the transaction these rows belong to.
     */
    protected held?: SqliteDatabase
  ) {
    this.#table = quoteIdentifier(tableName)
  }

  /**
   * Runs a statement: on the transaction's connection, or on the one
   * borrowed for this statement alone.
   */
  #run<T>(sql: string, work: (statement: ReturnType<SqliteConnection['statement']>) => T) {
    if (this.held) {
      return Promise.resolve(work(this.connection.statement(this.held, sql)))
    }
    return this.connection.use((db) => work(this.connection.statement(db, sql)))
  }

  async find(id: string): Promise<SessionRow | null> {
    const row = await this.#run(`select * from ${this.#table} where "id" = ? limit 1`, (s) =>
      s.get(id)
    )
    return (row as SessionRow | undefined) ?? null
  }

  async insert(row: SessionRow) {
    const columns = Object.keys(row)
    const sql =
      `insert into ${this.#table} (${columns.map(quoteIdentifier).join(', ')}) ` +
      `values (${columns.map(() => '?').join(', ')})`
    await this.#run(sql, (s) => s.run(...Object.values(row)))
  }

  async update(id: string, changes: Partial<SessionRow>, currentOnly = false) {
    const sql =
      `update ${this.#table} set ${this.#assignments(changes)} where "id" = ?` +
      (currentOnly ? ' and "successor_id" is null' : '')
    await this.#run(sql, (s) => s.run(...Object.values(changes), id))
  }

  async updateFamily(familyId: string, changes: Partial<SessionRow>) {
    const sql = `update ${this.#table} set ${this.#assignments(changes)} where "family_id" = ?`
    await this.#run(sql, (s) => s.run(...Object.values(changes), familyId))
  }

  async deleteFamily(familyId: string) {
    await this.#run(`delete from ${this.#table} where "family_id" = ?`, (s) => s.run(familyId))
  }

  transaction<T>(work: (rows: SessionRows) => Promise<T>): Promise<T> {
    return this.connection.transaction((db) =>
      work(new SqliteSessionRows(this.connection, this.tableName, db))
    )
  }

  #assignments(changes: Partial<SessionRow>) {
    return Object.keys(changes)
      .map((column) => `${quoteIdentifier(column)} = ?`)
      .join(', ')
  }
}
