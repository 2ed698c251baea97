import app from '@adonisjs/core/services/app'
import { BaseCheck, Result } from '@adonisjs/core/health'
import type { HealthCheckResult } from '@adonisjs/core/types/health'
import { PendingMigrations, pendingMigrationsMessage } from '#kit/runtime/src/pending_migrations'

/**
 * Fails while migrations of the default connection have not run: the
 * app's queries would fail on missing tables or columns. Its `reason`
 * (the count and the command to run, nothing from the database) is safe
 * to show in the readiness answer.
 */
export class PendingMigrationsCheck extends BaseCheck {
  name = 'Migrations check'

  async run(): Promise<HealthCheckResult> {
    try {
      const pendingMigrations = await app.container.make(PendingMigrations)
      const pending = await pendingMigrations.list()
      if (pending.length === 0) {
        return Result.ok('Every migration has run')
      }
      const reason = pendingMigrationsMessage(pending.length)
      return Result.failed(reason).mergeMetaData({ reason, pending })
    } catch (error) {
      return Result.failed('Could not read which migrations have run', error)
    }
  }
}
