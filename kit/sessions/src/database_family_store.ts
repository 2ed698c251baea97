import { randomBytes } from 'node:crypto'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { hashToken, successorToken } from '#kit/sessions/src/token_hash'
import { SqliteConnection } from '#kit/runtime'
import type { SessionRow, SessionRows } from '#kit/sessions/src/session_rows'
import { LucidSessionRows } from '#kit/sessions/src/lucid_session_rows'
import { SqliteSessionRows } from '#kit/sessions/src/sqlite_session_rows'
import { parseSessionData } from '#kit/sessions/src/session_changes'
import { signInMethodsOf } from '#kit/sessions/src/sign_in_record'
import type {
  ResolvedSession,
  SessionChange,
  SessionFamilyStore,
  SessionPolicy,
  SessionSummary,
} from '#kit/sessions/src/types'

/**
 * The successor id of every row of a family revoked for theft (a token
 * hash is 43 characters long: no token maps to it).
 */
const REVOKED_FOR_THEFT = 'revoked-for-theft'

/**
 * Session families in a SQL table of a Lucid connection (SQLite here,
 * PostgreSQL on several machines). Whatever changes a family's rows
 * (rotation, theft revocation, sign-out, a write that follows a rotated
 * token) runs in a transaction holding the family's lock, so concurrent
 * requests agree on one successor, and a revocation reaches every token,
 * successors inserted meanwhile included.
 *
 * What requests read and write goes through `SessionRows`: prepared
 * statements on SQLite, Lucid's query builder elsewhere. The rest (sign
 * out everywhere, the list of sessions, cleanup) uses Lucid.
 */
export class DatabaseFamilyStore implements SessionFamilyStore {
  protected rows: SessionRows

  constructor(
    protected client: QueryClientContract,
    protected appKey: string,
    protected tableName = 'sessions'
  ) {
    const sqlite = SqliteConnection.of(client)
    this.rows = sqlite
      ? new SqliteSessionRows(sqlite, tableName)
      : new LucidSessionRows(client, tableName)
  }

  async resolve(
    token: string,
    policy: SessionPolicy,
    now: number,
    arrivedAt = now
  ): Promise<ResolvedSession> {
    /**
     * Most requests carry a current token that has not expired: one read
     * answers them, without a transaction.
     */
    const current = await this.rows.find(hashToken(token))
    if (!current) {
      return { kind: 'unknown' }
    }
    if (!current.successor_id && !this.#isExpired(current, policy, now)) {
      return this.#active(token, current, false, policy, now)
    }

    return this.rows.transaction([current.family_id], async (trx) => {
      const row = await trx.find(hashToken(token))
      if (!row) {
        return { kind: 'unknown' }
      }

      if (row.successor_id === REVOKED_FOR_THEFT) {
        return policy.theftDetection
          ? { kind: 'theft', familyId: row.family_id, userId: row.user_id, revokedNow: false }
          : { kind: 'stale', familyId: row.family_id, userId: row.user_id }
      }

      if (row.successor_id) {
        return this.#resolveRotated(trx, token, row, policy, now, arrivedAt)
      }

      if (this.#isExpired(row, policy, now)) {
        return this.#expire(trx, row)
      }

      return this.#active(token, row, false, policy, now)
    })
  }

  /**
   * A token that was rotated. Judged by when its request arrived: it is
   * usable if it was current then, or within the grace window of its
   * rotation while its successor was current. It then leads to the
   * family's current token (several rotations may have happened since the
   * request arrived). Otherwise it was reused: theft. An ended family is
   * expired, whatever the token.
   */
  async #resolveRotated(
    trx: SessionRows,
    token: string,
    row: SessionRow,
    policy: SessionPolicy,
    now: number,
    arrivedAt: number
  ): Promise<ResolvedSession> {
    const successor = await trx.find(row.successor_id!)
    const usable =
      successor !== null &&
      arrivedAt - Number(row.rotated_at) <= policy.graceWindowMs &&
      !rotatedBefore(successor, arrivedAt)

    const newest = await this.#newest(trx, successorToken(token, this.appKey), successor)
    if (newest && this.#isExpired(newest.row, policy, now)) {
      return this.#expire(trx, newest.row)
    }

    if (usable && newest) {
      return this.#active(newest.token, newest.row, true, policy, now)
    }
    if (!policy.theftDetection) {
      return { kind: 'stale', familyId: row.family_id, userId: row.user_id }
    }
    await this.#revokeForTheft(trx, row.family_id)
    return { kind: 'theft', familyId: row.family_id, userId: row.user_id, revokedNow: true }
  }

  /**
   * Deletes an ended family.
   */
  async #expire(trx: SessionRows, row: SessionRow): Promise<ResolvedSession> {
    await trx.deleteFamilies([row.family_id])
    return { kind: 'expired', familyId: row.family_id, userId: row.user_id }
  }

  async peek(token: string) {
    const row = await this.rows.find(hashToken(token))
    if (!row || row.successor_id) {
      return null
    }
    return parseSessionData(row.data)
  }

  async create(
    token: string,
    data: Record<string, any>,
    meta: { userId: string | null; userAgent: string | null },
    policy: SessionPolicy,
    now: number
  ) {
    await this.rows.insert({
      id: hashToken(token),
      family_id: randomBytes(16).toString('base64url'),
      user_id: meta.userId,
      data: JSON.stringify(data),
      successor_id: null,
      created_at: now,
      family_created_at: now,
      rotated_at: null,
      last_used_at: now,
      expires_at: now + policy.idleTimeoutMs,
      user_agent: meta.userAgent?.slice(0, 512) ?? null,
    })
  }

  async write(token: string, change: SessionChange, policy: SessionPolicy, now: number) {
    const deadline = { last_used_at: now, expires_at: now + policy.idleTimeoutMs }

    /**
     * Most writes find their token current, its data as they read it.
     */
    const written = await this.rows.update(
      hashToken(token),
      { data: JSON.stringify(change.data), user_id: change.userId, ...deadline },
      { current: true, data: change.base }
    )
    if (written) {
      return token
    }

    /**
     * Another request rotated the token or stored data since: write to
     * the current token, this request's changes applied to its data.
     */
    return this.#inFamilyOf(token, async (trx) => {
      const newest = await this.#newest(trx, token)
      if (!newest || this.#isExpired(newest.row, policy, now)) {
        return null
      }
      const { data, userId } =
        newest.row.data === change.base ? change : change.rebase(parseSessionData(newest.row.data))
      await trx.update(newest.row.id, { data: JSON.stringify(data), user_id: userId, ...deadline })
      return newest.token
    })
  }

  async touch(token: string, policy: SessionPolicy, now: number) {
    const deadline = { last_used_at: now, expires_at: now + policy.idleTimeoutMs }
    if (await this.rows.update(hashToken(token), deadline, { current: true })) {
      return token
    }
    return this.#inFamilyOf(token, async (trx) => {
      const newest = await this.#newest(trx, token)
      if (!newest || this.#isExpired(newest.row, policy, now)) {
        return null
      }
      await trx.update(newest.row.id, deadline)
      return newest.token
    })
  }

  async rotate(token: string, policy: SessionPolicy, now: number, whenDue = false) {
    return this.#inFamilyOf(token, async (trx) => {
      const newest = await this.#newest(trx, token)
      if (!newest) {
        return null
      }
      if (whenDue && !this.#isDue(newest.row, policy, now)) {
        return newest.token
      }
      return this.#rotate(trx, newest.token, newest.row, now, now + policy.idleTimeoutMs)
    })
  }

  async destroyFamilyOf(token: string) {
    await this.#inFamilyOf(token, async (trx) => {
      const row = await trx.find(hashToken(token))
      return row && trx.deleteFamilies([row.family_id])
    })
  }

  async destroyFamily(userId: string, familyId: string) {
    return this.rows.transaction([familyId], (trx) => trx.deleteFamilies([familyId], userId))
  }

  async destroyUser(userId: string) {
    const families = await this.rows.familiesOf(userId)
    return this.rows.transaction(families, (trx) => trx.deleteFamilies(families, userId))
  }

  async listUser(userId: string, now: number): Promise<SessionSummary[]> {
    const rows: SessionRow[] = await this.client
      .from(this.tableName)
      .where('user_id', userId)
      .whereNull('successor_id')
      .where('expires_at', '>', now)
      .orderBy('last_used_at', 'desc')

    return rows.map((row) => ({
      familyId: row.family_id,
      createdAt: new Date(Number(row.family_created_at)),
      lastUsedAt: new Date(Number(row.last_used_at)),
      userAgent: row.user_agent,
      signInMethods: signInMethodsOf(parseSessionData(row.data)),
    }))
  }

  async collectExpired(policy: SessionPolicy, now: number) {
    return this.rows.deleteExpired(now, now - policy.absoluteLifetimeMs)
  }

  /**
   * Runs `work` in a transaction holding the lock of the family of
   * `token` (nothing is locked when the token is unknown). Where the
   * transaction itself is every family's lock (SQLite), the family is not
   * looked up first: `work` finds the token's rows inside it.
   */
  async #inFamilyOf<T>(token: string, work: (trx: SessionRows) => Promise<T | null>) {
    if (!this.rows.locksFamilies) {
      return this.rows.transaction([], work)
    }
    const row = await this.rows.find(hashToken(token))
    return row ? this.rows.transaction([row.family_id], work) : null
  }

  /**
   * Inserts the successor of a token (its idle deadline `expiresAt`: a
   * rotation is a use) and points the token to it.
   */
  async #rotate(trx: SessionRows, token: string, row: SessionRow, now: number, expiresAt: number) {
    const next = successorToken(token, this.appKey)
    const nextId = hashToken(next)

    await trx.insert({
      ...row,
      id: nextId,
      successor_id: null,
      created_at: now,
      rotated_at: null,
      last_used_at: now,
      expires_at: expiresAt,
    })
    await trx.update(row.id, { successor_id: nextId, rotated_at: now, data: '{}' })

    return next
  }

  /**
   * Revokes a family after theft. Its rows are kept, emptied (no data, no
   * user), until they expire, and all point to a successor that never
   * exists: every token of the family, the newest one included, then
   * resolves to theft again. Both holders of the copied cookie (whoever
   * comes second, too) are told why they were signed out.
   */
  async #revokeForTheft(trx: SessionRows, familyId: string) {
    await trx.updateFamily(familyId, {
      data: '{}',
      user_id: null,
      successor_id: REVOKED_FOR_THEFT,
    })
  }

  /**
   * The current token of a family, found from one of its tokens (`row`,
   * when already read, is that token's row) by following its successors;
   * null when the token is unknown or its family revoked for theft.
   */
  async #newest(
    trx: SessionRows,
    token: string,
    row?: SessionRow | null
  ): Promise<{ token: string; row: SessionRow } | null> {
    let current = row === undefined ? await trx.find(hashToken(token)) : row
    let currentToken = token
    while (current?.successor_id && current.successor_id !== REVOKED_FOR_THEFT) {
      current = await trx.find(current.successor_id)
      currentToken = successorToken(currentToken, this.appKey)
    }
    return current && !current.successor_id ? { token: currentToken, row: current } : null
  }

  #isExpired(row: SessionRow, policy: SessionPolicy, now: number) {
    return (
      now >= Number(row.expires_at) ||
      now - Number(row.family_created_at) >= policy.absoluteLifetimeMs
    )
  }

  #isDue(row: SessionRow, policy: SessionPolicy, now: number) {
    return now - Number(row.created_at) >= policy.rotationIntervalMs
  }

  #active(
    token: string,
    row: SessionRow,
    rotated: boolean,
    policy: SessionPolicy,
    now: number
  ): ResolvedSession {
    return {
      kind: 'active',
      token,
      rotated,
      due: this.#isDue(row, policy, now),
      familyId: row.family_id,
      userId: row.user_id,
      data: parseSessionData(row.data),
      storedData: row.data,
      lastUsedAt: Number(row.last_used_at),
    }
  }
}

/**
 * True when a token had been rotated before that time.
 */
function rotatedBefore(row: SessionRow, time: number) {
  return row.successor_id !== null && row.rotated_at !== null && Number(row.rotated_at) < time
}
