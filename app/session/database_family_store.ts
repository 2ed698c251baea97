import { randomBytes } from 'node:crypto'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { hashToken, successorToken } from '#session/session_token'
import { SqliteConnection } from '#services/sqlite_connection'
import type { SessionRow, SessionRows } from '#session/session_rows'
import { LucidSessionRows } from '#session/lucid_session_rows'
import { SqliteSessionRows } from '#session/sqlite_session_rows'
import type {
  ResolvedSession,
  SessionFamilyStore,
  SessionPolicy,
  SessionSummary,
} from '#session/types'

/**
 * The successor id of every row of a family revoked for theft (a token
 * hash is 43 characters long: no token maps to it).
 */
const REVOKED_FOR_THEFT = 'revoked-for-theft'

/**
 * Session families in a SQL table of a Lucid connection (SQLite here,
 * PostgreSQL on several machines). Rotation runs in a transaction, with the
 * row locked where the database supports it, so concurrent requests agree
 * on one successor.
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
     * Most requests carry a current token, neither expired nor due for
     * rotation: one read answers them, without a transaction.
     */
    const current = await this.rows.find(hashToken(token))
    if (!current) {
      return { kind: 'unknown' }
    }
    if (
      !current.successor_id &&
      !this.#isExpired(current, policy, now) &&
      now - Number(current.created_at) < policy.rotationIntervalMs
    ) {
      return this.#active(token, current, false)
    }

    return this.rows.transaction(async (trx) => {
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

      if (now - Number(row.created_at) >= policy.rotationIntervalMs) {
        const next = await this.#rotate(trx, token, row, now, now + policy.idleTimeoutMs)
        return { ...this.#active(next, row, true), touched: true }
      }

      return this.#active(token, row, false)
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

    let newest = successor
    let newestToken = successorToken(token, this.appKey)
    while (newest?.successor_id && newest.successor_id !== REVOKED_FOR_THEFT) {
      newest = await trx.find(newest.successor_id)
      newestToken = successorToken(newestToken, this.appKey)
    }
    if (newest && !newest.successor_id && this.#isExpired(newest, policy, now)) {
      return this.#expire(trx, newest)
    }

    if (usable && newest && !newest.successor_id) {
      return this.#active(newestToken, newest, true)
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
    await trx.deleteFamily(row.family_id)
    return { kind: 'expired', familyId: row.family_id, userId: row.user_id }
  }

  async peek(token: string) {
    const row = await this.rows.find(hashToken(token))
    if (!row || row.successor_id) {
      return null
    }
    const resolved = this.#active(token, row, false)
    return resolved.kind === 'active' ? resolved.data : null
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

  async write(
    token: string,
    data: Record<string, any>,
    meta: { userId: string | null },
    policy: SessionPolicy,
    now: number
  ) {
    await this.rows.update(
      hashToken(token),
      {
        data: JSON.stringify(data),
        user_id: meta.userId,
        last_used_at: now,
        expires_at: now + policy.idleTimeoutMs,
      },
      true
    )
  }

  async touch(token: string, policy: SessionPolicy, now: number) {
    await this.rows.update(
      hashToken(token),
      { last_used_at: now, expires_at: now + policy.idleTimeoutMs },
      true
    )
  }

  async rotate(token: string, now: number) {
    return this.rows.transaction(async (trx) => {
      const row = await trx.find(hashToken(token))
      if (!row || row.successor_id) {
        return token
      }
      return this.#rotate(trx, token, row, now, Number(row.expires_at))
    })
  }

  async destroyFamilyOf(token: string) {
    const row = await this.rows.find(hashToken(token))
    if (row) {
      await this.rows.deleteFamily(row.family_id)
    }
  }

  async destroyFamily(userId: string, familyId: string) {
    return this.client
      .from(this.tableName)
      .where('family_id', familyId)
      .where('user_id', userId)
      .delete() as unknown as Promise<number>
  }

  async destroyUser(userId: string) {
    return this.client
      .from(this.tableName)
      .where('user_id', userId)
      .delete() as unknown as Promise<number>
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
    }))
  }

  async collectExpired(policy: SessionPolicy, now: number) {
    return this.client
      .from(this.tableName)
      .where('expires_at', '<=', now)
      .orWhere('family_created_at', '<=', now - policy.absoluteLifetimeMs)
      .delete() as unknown as Promise<number>
  }

  /**
   * Inserts the successor of a token (its idle deadline `expiresAt`) and
   * points the token to it.
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

  #isExpired(row: SessionRow, policy: SessionPolicy, now: number) {
    return (
      now >= Number(row.expires_at) ||
      now - Number(row.family_created_at) >= policy.absoluteLifetimeMs
    )
  }

  #active(token: string, row: SessionRow, rotated: boolean): ResolvedSession {
    let data: Record<string, any> = {}
    try {
      data = JSON.parse(row.data)
    } catch {}
    return {
      kind: 'active',
      token,
      rotated,
      familyId: row.family_id,
      userId: row.user_id,
      data,
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
