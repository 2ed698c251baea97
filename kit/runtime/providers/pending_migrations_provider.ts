import type { ApplicationService } from '@adonisjs/core/types'
import { PendingMigrations, pendingMigrationsMessage } from '#kit/runtime/src/pending_migrations'

/**
 * Registers `PendingMigrations` (one per process) and, when the production
 * server starts, warns about migrations that have not run, naming the
 * command that runs them: without this the server starts, readiness fails
 * and only a "no such table" error in the log hints at why. The check does
 * not hold the start back; when the database cannot be reached, the
 * database's own errors say so and nothing is logged here.
 */
export default class PendingMigrationsProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(PendingMigrations, async (resolver) => {
      return new PendingMigrations(this.app, await resolver.make('lucid.db'))
    })
  }

  async ready() {
    if (!this.app.inProduction || this.app.getEnvironment() !== 'web') {
      return
    }

    const [pendingMigrations, logger] = await Promise.all([
      this.app.container.make(PendingMigrations),
      this.app.container.make('logger'),
    ])
    pendingMigrations
      .list()
      .then((pending) => {
        if (pending.length > 0) {
          logger.warn(
            { event: 'migrations.pending', pending },
            pendingMigrationsMessage(pending.length)
          )
        }
      })
      .catch(() => {})
  }
}
