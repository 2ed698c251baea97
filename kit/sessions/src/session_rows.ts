/**
 * A row of the sessions table (see the "create_sessions_table" migration).
 * Times are milliseconds since the epoch.
 */
export type SessionRow = {
  id: string
  family_id: string
  user_id: string | null
  data: string
  successor_id: string | null
  created_at: number | string
  family_created_at: number | string
  rotated_at: number | string | null
  last_used_at: number | string
  expires_at: number | string
  user_agent: string | null
}

/**
 * What a row must still be for an update to apply to it.
 */
export type RowCondition = {
  /**
   * Not rotated: no successor.
   */
  current?: boolean
  /**
   * Holding this data (JSON text), as a request read it.
   */
  data?: string
}

/**
 * The reads and writes of the sessions table that requests make, for
 * `DatabaseFamilyStore`: through Lucid ("lucid_session_rows.ts"), or
 * through prepared statements on SQLite ("sqlite_session_rows.ts").
 */
export interface SessionRows {
  /**
   * The row of a token hash; inside a transaction, locked until it ends
   * where the database locks rows.
   */
  find(id: string): Promise<SessionRow | null>

  insert(row: SessionRow): Promise<void>

  /**
   * Changes the row of a token hash; with `only.current`, only while it
   * has no successor; with `only.data`, only while its data is that text.
   * Returns the number of rows changed (0 or 1).
   */
  update(id: string, changes: Partial<SessionRow>, only?: RowCondition): Promise<number>

  /**
   * Changes every row of a family.
   */
  updateFamily(familyId: string, changes: Partial<SessionRow>): Promise<void>

  /**
   * The families with rows of a user.
   */
  familiesOf(userId: string): Promise<string[]>

  /**
   * Deletes every row of those families (only those of `userId` when
   * given); returns how many.
   */
  deleteFamilies(familyIds: string[], userId?: string): Promise<number>

  /**
   * Deletes the rows of families that have ended (idle or too old), except
   * rows a transaction holds; returns how many.
   */
  deleteExpired(now: number, bornBefore: number): Promise<number>

  /**
   * Runs `work` in a transaction that holds the lock of each family named,
   * with rows of that transaction. Every transaction that changes a
   * family's rows holds its lock: a rotation, a revocation or a deletion
   * of one family waits for the others, so none of them misses a row
   * another one inserts (a successor) and none of them deadlocks.
   */
  transaction<T>(familyIds: string[], work: (rows: SessionRows) => Promise<T>): Promise<T>

  /**
   * Whether `transaction` locks each family it is given (PostgreSQL's
   * advisory locks). When it does not (SQLite: one writer at a time is
   * every family's lock), a caller need not look a token's family up
   * before its transaction.
   */
  readonly locksFamilies: boolean
}
