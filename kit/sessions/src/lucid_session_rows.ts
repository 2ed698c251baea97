import { createHash } from 'node:crypto'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { RowCondition, SessionRow, SessionRows } from '#kit/sessions/src/session_rows'

/**
 * The sessions table through Lucid's query builder (PostgreSQL, and any
 * database without prepared statements of its own here). In a
 * transaction, a row read is locked (`FOR UPDATE`) on PostgreSQL, so
 * concurrent rotations agree on one successor.
 */
export class LucidSessionRows implements SessionRows {
  constructor(
    protected client: QueryClientContract | TransactionClientContract,
    protected tableName: string
  ) {}

  find(id: string): Promise<SessionRow | null> {
    const query = this.client.from(this.tableName).where('id', id)
    if (this.client.isTransaction && this.#isPostgres) {
      query.forUpdate()
    }
    return query.first()
  }

  async insert(row: SessionRow) {
    await this.client.insertQuery().table(this.tableName).insert(row)
  }

  async update(id: string, changes: Partial<SessionRow>, only: RowCondition = {}) {
    const query = this.client.from(this.tableName).where('id', id)
    if (only.current) {
      query.whereNull('successor_id')
    }
    if (only.data !== undefined) {
      query.where('data', only.data)
    }
    return affected(await query.update(changes))
  }

  async updateFamily(familyId: string, changes: Partial<SessionRow>) {
    await this.client.from(this.tableName).where('family_id', familyId).update(changes)
  }

  async familiesOf(userId: string) {
    const rows = await this.client
      .from(this.tableName)
      .distinct('family_id')
      .where('user_id', userId)
    return rows.map((row: { family_id: string }) => row.family_id)
  }

  async deleteFamilies(familyIds: string[], userId?: string) {
    if (!familyIds.length) {
      return 0
    }
    const query = this.client.from(this.tableName).whereIn('family_id', familyIds)
    if (userId !== undefined) {
      query.where('user_id', userId)
    }
    return affected(await query.delete())
  }

  /**
   * On PostgreSQL, rows a transaction holds (a family being rotated or
   * revoked) are skipped, to be collected next time: waiting for them
   * while holding the rows already deleted could deadlock.
   */
  async deleteExpired(now: number, bornBefore: number) {
    const expired = this.client
      .from(this.tableName)
      .select('id')
      .where((row) =>
        row.where('expires_at', '<=', now).orWhere('family_created_at', '<=', bornBefore)
      )
    if (this.#isPostgres) {
      expired.forUpdate().skipLocked()
    }
    return affected(await this.client.from(this.tableName).whereIn('id', expired).delete())
  }

  /**
   * On PostgreSQL, a family's lock is a transaction-scoped advisory lock
   * (see `familyLockKey`), taken in one order (by key) so that two
   * transactions locking several families never wait for each other in a
   * loop. Other databases have no such lock here; SQLite, whose
   * transactions write one at a time, uses "sqlite_session_rows.ts".
   */
  transaction<T>(familyIds: string[], work: (rows: SessionRows) => Promise<T>): Promise<T> {
    return this.client.transaction(async (trx) => {
      if (trx.dialect.name === 'postgres') {
        const keys = [...new Set(familyIds.map(familyLockKey))].sort((a, b) => a - b)
        for (const key of keys) {
          await trx.rawQuery('select pg_advisory_xact_lock(?, ?)', [FAMILY_LOCK_SPACE, key])
        }
      }
      return work(new LucidSessionRows(trx, this.tableName))
    })
  }

  /**
   * Only PostgreSQL's transactions lock families (advisory locks).
   */
  get locksFamilies() {
    return this.#isPostgres
  }

  get #isPostgres() {
    return this.client.dialect.name === 'postgres'
  }
}

/**
 * The first key of the advisory locks of session families: their own key
 * space among the database's advisory locks ("SE55").
 */
const FAMILY_LOCK_SPACE = 0x53453535

/**
 * The second key of a family's advisory lock: 32 bits of its id. Two
 * families sharing a key only wait for each other now and then.
 */
export function familyLockKey(familyId: string): number {
  return createHash('sha256').update(familyId).digest().readInt32BE(0)
}

/**
 * The number of rows an update or a delete changed, as the query builder
 * returns it (a count; an array on some dialects).
 */
function affected(result: unknown): number {
  return Array.isArray(result) ? Number(result[0] ?? 0) : Number(result ?? 0)
}
