import type { ApplicationService } from '@adonisjs/core/types'
import { AfterResponseTasks } from '#kit/runtime/src/after_response_tasks'

/**
 * Registers `AfterResponseTasks` (work a request leaves to run after its
 * response, such as mailing a reset link), one instance per process.
 *
 * Listed last in "adonisrc.ts": providers shut down in reverse order, so
 * the tasks still running end before Lucid closes the database and the
 * mail provider its transports.
 */
export default class AfterResponseProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(AfterResponseTasks, () => new AfterResponseTasks())
  }

  /**
   * Waits for the tasks still running.
   */
  async shutdown() {
    const tasks = await this.app.container.make(AfterResponseTasks)
    await tasks.settled()
  }
}
