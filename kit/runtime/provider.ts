import type { ApplicationService } from '@adonisjs/core/types'
import { AfterResponseTasks } from './src/after_response_tasks.js'

/**
 * Registers the runtime module's services:
 *
 * - `AfterResponseTasks` (work a request leaves to run after its
 *   response, such as mailing a reset link), one instance per process;
 * - in development, in the web environment only, the first run: before
 *   the HTTP server starts, a new database is migrated and seeded with the
 *   demo users, so "npm run dev" works on a fresh clone. Production
 *   databases are migrated with "node ace migration:run --force".
 *
 * Listed last in "adonisrc.ts": providers shut down in reverse order, so
 * the tasks still running end before Lucid closes the database and the
 * mail provider its transports.
 */
export default class RuntimeProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(AfterResponseTasks, () => new AfterResponseTasks())
  }

  async start() {
    /**
     * Not when the app is only assembled to be inspected ("warmup" mode,
     * as "node ace codegen" does): that app is never shut down, so an open
     * database connection would keep the command from exiting.
     */
    if (this.app.getEnvironment() !== 'web' || !this.app.inDev || this.app.getMode() !== 'run') {
      return
    }

    const { setupNewDatabase } = await import('./src/first_run/database.js')
    const db = await this.app.container.make('lucid.db')
    await setupNewDatabase(this.app, db, { log: (line) => console.log(line) })
  }

  /**
   * Waits for the tasks still running.
   */
  async shutdown() {
    const tasks = await this.app.container.make(AfterResponseTasks)
    await tasks.settled()
  }
}
