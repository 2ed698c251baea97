import type { RowCondition, SessionRow, SessionRows } from '#kit/sessions/src/session_rows'
import { quoteIdentifier, type SqliteConnection, type SqliteDatabase } from '#kit/runtime'

/**
 * The sessions table through prepared better-sqlite3 statements (see
 * "kit/runtime/src/sqlite_connection.ts"): the same statements as
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

  async update(id: string, changes: Partial<SessionRow>, only: RowCondition = {}) {
    const values: unknown[] = [...Object.values(changes), id]
    let sql = `update ${this.#table} set ${this.#assignments(changes)} where "id" = ?`
    if (only.current) {
      sql += ' and "successor_id" is null'
    }
    if (only.data !== undefined) {
      sql += ' and "data" = ?'
      values.push(only.data)
    }
    return this.#run(sql, (s) => s.run(...values).changes)
  }

  async updateFamily(familyId: string, changes: Partial<SessionRow>) {
    const sql = `update ${this.#table} set ${this.#assignments(changes)} where "family_id" = ?`
    await this.#run(sql, (s) => s.run(...Object.values(changes), familyId))
  }

  async familiesOf(userId: string) {
    const sql = `select distinct "family_id" from ${this.#table} where "user_id" = ?`
    const rows = await this.#run(sql, (s) => s.all(userId) as { family_id: string }[])
    return rows.map((row) => row.family_id)
  }

  async deleteFamilies(familyIds: string[], userId?: string) {
    if (!familyIds.length) {
      return 0
    }
    const values: unknown[] = [...familyIds]
    let sql = `delete from ${this.#table} where "family_id" in (${familyIds.map(() => '?').join(', ')})`
    if (userId !== undefined) {
      sql += ' and "user_id" = ?'
      values.push(userId)
    }
    return this.#run(sql, (s) => s.run(...values).changes)
  }

  async deleteExpired(now: number, bornBefore: number) {
    const sql = `delete from ${this.#table} where "expires_at" <= ? or "family_created_at" <= ?`
    return this.#run(sql, (s) => s.run(now, bornBefore).changes)
  }

  /**
   * SQLite lets one transaction write at a time (BEGIN IMMEDIATE): that
   * write lock is every family's lock.
   */
  readonly locksFamilies = false

  transaction<T>(_familyIds: string[], work: (rows: SessionRows) => Promise<T>): Promise<T> {
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
