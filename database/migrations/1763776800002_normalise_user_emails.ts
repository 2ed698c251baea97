import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Email addresses are stored trimmed and in lower case (the User model
 * does it on every save), and unique whatever their case: a unique index
 * on lower(email) refuses "DEMO@example.com" next to "demo@example.com",
 * even from a raw query.
 *
 * Existing rows are normalised first. Users whose addresses differ only
 * by case or spaces cannot be merged by a migration: it stops, naming
 * them, and changes nothing; decide which account to keep, then run it
 * again.
 */
export default class extends BaseSchema {
  protected tableName = 'users'
  protected indexName = 'users_email_lower_unique'

  async up() {
    this.defer(async (db) => {
      const clashes = await db
        .from(this.tableName)
        .select(db.raw('lower(trim(email)) as normalized'))
        .groupByRaw('lower(trim(email))')
        .havingRaw('count(*) > 1')
      if (clashes.length) {
        throw new Error(
          `These users' email addresses differ only by case or spaces: ${clashes
            .map((row) => row.normalized)
            .join(', ')}. Merge or rename them, then run the migration again.`
        )
      }
      await db
        .from(this.tableName)
        .whereRaw('email <> lower(trim(email))')
        .update({ email: db.raw('lower(trim(email))') })
    })
    this.schema.raw(`CREATE UNIQUE INDEX ${this.indexName} ON ${this.tableName} (lower(email))`)
  }

  async down() {
    this.schema.raw(`DROP INDEX IF EXISTS ${this.indexName}`)
  }
}
