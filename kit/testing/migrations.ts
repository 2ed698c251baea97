import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { MigrationRunner } from '@adonisjs/lucid/migration'

/**
 * Runs the app's migrations on a connection (the default one unless
 * named), printing nothing: a failure throws the migration's error.
 *
 * Used instead of "node ace migration:run" (what `testUtils.db().migrate()`
 * runs), which on every new database prints Lucid's
 * `Upgrading migrations version from "1" to "2"`: a new database gets
 * version 1 of Lucid's bookkeeping table, then is upgraded at once. Test
 * runs always start from a new database, so the line was noise in every run.
 */
export async function runMigrations(connectionName?: string) {
  const migrator = new MigrationRunner(db, app, { direction: 'up', dryRun: false, connectionName })
  await migrator.run()
  if (migrator.error) {
    throw migrator.error
  }
}
