import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Password reset tokens: single-use, expiring. Only the SHA-256 of a
 * token is stored; the token itself exists only in the mail.
 */
export default class extends BaseSchema {
  protected tableName = 'password_reset_tokens'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id').notNullable()
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
        .index()

      /**
       * SHA-256 (hex) of the token the mail's link carries.
       */
      table.string('token_hash', 64).notNullable().unique()
      table.timestamp('expires_at').notNullable()
      table.timestamp('created_at').notNullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
