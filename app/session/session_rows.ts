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
   * Changes the row of a token hash; with `currentOnly`, only while it has
   * no successor.
   */
  update(id: string, changes: Partial<SessionRow>, currentOnly?: boolean): Promise<void>

  /**
   * Changes every row of a family.
   */
  updateFamily(familyId: string, changes: Partial<SessionRow>): Promise<void>

  /**
   * Deletes every row of a family.
   */
  deleteFamily(familyId: string): Promise<void>

  /**
   * Runs `work` in a transaction, with rows of that transaction.
   */
  transaction<T>(work: (rows: SessionRows) => Promise<T>): Promise<T>
}
