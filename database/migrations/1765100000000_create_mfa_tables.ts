import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A user's second factors (docs/mfa.md): an authenticator app (TOTP) and
 * the recovery codes that stand in for it.
 */
export default class extends BaseSchema {
  async up() {
    /**
     * One authenticator app per user. The secret is stored encrypted with
     * the app's encryption (APP_KEY); `confirmed_at` stays null until the
     * user typed a first code, and the factor counts only once it is set.
     * `last_used_step` is the time step of the last code accepted: no code
     * of that step or an earlier one is accepted again.
     */
    this.schema.createTable('totp_factors', (table) => {
      table.increments('id').notNullable()
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
        .unique()
      table.text('secret').notNullable()
      table.timestamp('confirmed_at').nullable()
      table.bigInteger('last_used_step').nullable()
      table.timestamp('last_used_at').nullable()
      table.timestamp('created_at').notNullable()
    })

    /**
     * Single-use codes for a user without their authenticator app. Only
     * a hash of each code is stored (the hash service); a used code's row
     * is deleted.
     */
    this.schema.createTable('recovery_codes', (table) => {
      table.increments('id').notNullable()
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
        .index()
      table.string('code_hash', 255).notNullable()
      table.timestamp('created_at').notNullable()
    })
  }

  async down() {
    this.schema.dropTable('recovery_codes')
    this.schema.dropTable('totp_factors')
  }
}
