import { BaseSchema } from '@adonisjs/lucid/schema'
import { familyStores } from '#config/session'

/**
 * Sessions, in families of rotating tokens (see kit/sessions/src/). Times are
 * milliseconds since the epoch. The table is "sessions" unless
 * SESSION_TABLE names another.
 */
export default class extends BaseSchema {
  protected tableName = familyStores.database.tableName

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      /**
       * SHA-256 of the token the cookie carries (never the token itself).
       */
      table.string('id', 64).primary()
      table.string('family_id', 64).notNullable().index()
      table.string('user_id').nullable().index()
      table.text('data').notNullable()

      /**
       * Set once the token is rotated: the id of the token that replaced it.
       */
      table.string('successor_id', 64).nullable()
      table.bigInteger('created_at').notNullable()
      table.bigInteger('family_created_at').notNullable()
      table.bigInteger('rotated_at').nullable()
      table.bigInteger('last_used_at').notNullable()
      table.bigInteger('expires_at').notNullable().index()
      table.string('user_agent', 512).nullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
