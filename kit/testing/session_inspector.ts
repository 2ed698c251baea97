/**
 * Direct access to the sessions of a store, for the multinode tests: what
 * the SQL tests do with UPDATE and SELECT, for any store.
 */
export interface SessionInspector {
  /**
   * Deletes every session.
   */
  clear(): Promise<void>

  /**
   * Moves every session back in time, as if `ms` had passed: rotation
   * intervals, grace windows and expiries fall due.
   */
  travel(ms: number): Promise<void>

  /**
   * Makes every current token due for rotation, as if `ms` of use had
   * passed, without moving any rotation time.
   */
  makeDue(ms: number): Promise<void>

  /**
   * Moves the start of every family back by `ms`, without moving any
   * token's times: its absolute lifetime runs out.
   */
  ageFamilies(ms: number): Promise<void>

  /**
   * How many tokens are current (not rotated) in signed-in families.
   */
  currentSignedInTokens(): Promise<number>

  /**
   * Makes every claim value kept in the sessions stale, so the next
   * request fetches it again.
   */
  staleClaims(): Promise<void>
}

/**
 * Session data (JSON) with every claim marked as fetched long ago.
 */
export function withStaleClaims(json: string): string {
  const data = JSON.parse(json)
  for (const entry of Object.values<{ fetchedAt: number }>(data.claims ?? {})) {
    entry.fetchedAt = 0
  }
  return JSON.stringify(data)
}
