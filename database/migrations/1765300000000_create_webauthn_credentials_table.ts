import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Passkeys (WebAuthn credentials, docs/mfa.md): a user may have several,
 * each a second factor and a way to sign in without the password.
 */
export default class extends BaseSchema {
  protected tableName = 'webauthn_credentials'

  async up() {
    /**
     * Only public material is stored: the credential id and the COSE
     * public key (base64url), never a secret. `counter` is the last
     * signature counter seen (it must increase, WebAuthn §6.1.1; 0 for
     * authenticators that keep none, such as synced passkeys);
     * `last_challenge_hash` the SHA-256 of the last challenge it signed,
     * so that of two parallel posts of one response only one passes.
     */
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
      table.string('credential_id', 1400).notNullable().unique()
      table.text('public_key').notNullable()
      table.bigInteger('counter').notNullable().defaultTo(0)
      table.string('transports', 255).notNullable().defaultTo('[]')
      table.string('name', 64).notNullable()
      table.string('aaguid', 36).notNullable()
      table.boolean('backup_eligible').notNullable().defaultTo(false)
      table.boolean('backed_up').notNullable().defaultTo(false)
      table.string('last_challenge_hash', 64).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('last_used_at').nullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
