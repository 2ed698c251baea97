import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { type SessionInspector, withStaleClaims } from '#kit/testing/session_inspector'

/**
 * The sessions of a database family store: its table, through a Lucid
 * connection.
 */
export class DatabaseSessionInspector implements SessionInspector {
  constructor(
    protected client: QueryClientContract,
    readonly tableName: string
  ) {}

  async clear() {
    await this.client.from(this.tableName).delete()
  }

  async travel(ms: number) {
    await this.client.rawQuery(
      `UPDATE ?? SET created_at = created_at - ?, family_created_at = family_created_at - ?,
        rotated_at = rotated_at - ?, last_used_at = last_used_at - ?, expires_at = expires_at - ?`,
      [this.tableName, ms, ms, ms, ms, ms]
    )
  }

  async makeDue(ms: number) {
    await this.client.rawQuery(
      'UPDATE ?? SET created_at = created_at - ? WHERE successor_id IS NULL',
      [this.tableName, ms]
    )
  }

  async ageFamilies(ms: number) {
    await this.client.rawQuery('UPDATE ?? SET family_created_at = family_created_at - ?', [
      this.tableName,
      ms,
    ])
  }

  async currentSignedInTokens() {
    const [row] = await this.client
      .from(this.tableName)
      .whereNull('successor_id')
      .whereNotNull('user_id')
      .count('* as total')
    return Number(row.total)
  }

  async staleClaims() {
    const rows = await this.client.from(this.tableName).whereNull('successor_id')
    for (const row of rows) {
      await this.client
        .from(this.tableName)
        .where('id', row.id)
        .update({ data: withStaleClaims(row.data) })
    }
  }
}
