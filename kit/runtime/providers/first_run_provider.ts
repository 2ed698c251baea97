import type { ApplicationService } from '@adonisjs/core/types'
import { setupNewDatabase } from '#kit/runtime/src/first_run/database'

/**
 * Development only: before the HTTP server starts, a new database is
 * migrated and seeded with the demo users, so "npm run dev" works on a
 * fresh clone. Production databases are migrated with
 * "node ace migration:run --force".
 */
export default class FirstRunProvider {
  constructor(protected app: ApplicationService) {}

  async start() {
    /**
     * Not when the app is only assembled to be inspected ("warmup" mode,
     * as "node ace codegen" does): that app is never shut down, so an open
     * database connection would keep the command from exiting.
     */
    if (!this.app.inDev || this.app.getMode() !== 'run') {
      return
    }

    const db = await this.app.container.make('lucid.db')
    await setupNewDatabase(this.app, db, { log: (line) => console.log(line) })
  }
}
