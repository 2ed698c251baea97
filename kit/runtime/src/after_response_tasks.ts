import type { HttpContext } from '@adonisjs/core/http'

/**
 * Work a request leaves to run once its response is sent, in this
 * process: the client gets its answer without waiting for it, and cannot
 * tell from the answer's timing what the work found (whether an address
 * has an account, say). A task that fails is logged at error level with
 * its name, on the request's logger; the client already has its answer.
 *
 * Tasks live in memory: a process that crashes loses the ones not run
 * yet. At shutdown the app waits for them (`settled`, called by
 * "kit/runtime/provider.ts") before it closes the database
 * and the mailers.
 *
 * One instance per process, from the container.
 */
export class AfterResponseTasks {
  #pending = new Set<Promise<void>>()

  /**
   * Runs `task` once the response of `ctx` is sent, or once the client
   * went away (the work was asked for all the same).
   */
  schedule(ctx: HttpContext, name: string, task: () => Promise<unknown>) {
    const logger = ctx.logger
    const run: Promise<void> = new Promise<void>((resolve) =>
      ctx.response.onFinish(() => resolve())
    )
      .then(task)
      .then(
        () => {},
        (error) => logger.error({ err: error, task: name }, 'a task run after the response failed')
      )
      .finally(() => this.#pending.delete(run))
    this.#pending.add(run)
  }

  /**
   * Resolves once every task scheduled so far, and every task they
   * scheduled, has ended.
   */
  async settled() {
    while (this.#pending.size) {
      await Promise.all(this.#pending)
    }
  }
}
