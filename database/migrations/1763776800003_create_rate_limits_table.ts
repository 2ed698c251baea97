import { BaseSchema } from '@adonisjs/lucid/schema'
import { LIMITER_TABLE } from '#config/limiter'

/**
 * The counters of @adonisjs/limiter's database store (config/limiter.ts),
 * in the layout its SQLite and PostgreSQL stores query: the key, the
 * points consumed, and when they expire (milliseconds since the epoch).
 */
export default class extends BaseSchema {
  protected tableName = LIMITER_TABLE

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.string('key', 255).notNullable().primary()
      table.integer('points', 9).notNullable().defaultTo(0)
      table.bigint('expire').unsigned()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
