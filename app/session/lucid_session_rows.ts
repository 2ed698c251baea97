import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { SessionRow, SessionRows } from '#session/session_rows'

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
    if (this.client.isTransaction && this.client.dialect.name === 'postgres') {
      query.forUpdate()
    }
    return query.first()
  }

  async insert(row: SessionRow) {
    await this.client.insertQuery().table(this.tableName).insert(row)
  }

  async update(id: string, changes: Partial<SessionRow>, currentOnly = false) {
    const query = this.client.from(this.tableName).where('id', id)
    if (currentOnly) {
      query.whereNull('successor_id')
    }
    await query.update(changes)
  }

  async updateFamily(familyId: string, changes: Partial<SessionRow>) {
    await this.client.from(this.tableName).where('family_id', familyId).update(changes)
  }

  async deleteFamily(familyId: string) {
    await this.client.from(this.tableName).where('family_id', familyId).delete()
  }

  transaction<T>(work: (rows: SessionRows) => Promise<T>): Promise<T> {
    return this.client.transaction((trx) => work(new LucidSessionRows(trx, this.tableName)))
  }
}
