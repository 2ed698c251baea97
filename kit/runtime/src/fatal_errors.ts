import { inspect } from 'node:util'
import type { ApplicationService } from '@adonisjs/core/types'
import { flushLogs } from '#kit/runtime/src/log_flush'
import { safeErrorMessage } from '#kit/errors/exceptions'

/**
 * Ends the process when an error escapes everything: an exception nobody
 * caught, or a rejected promise nobody handled (a timer or an event
 * listener that failed, outside any request). The error is logged at
 * "fatal" level, the logs are flushed and the process exits with code 1,
 * so that its supervisor (systemd, Kubernetes, pm2, Docker) starts a fresh
 * one instead of this one carrying on in an unknown state.
 *
 * An error inside a request never gets here: the exception handler turns
 * it into an error response.
 */
export function exitOnFatalErrors(app: ApplicationService) {
  let exiting = false

  async function exit(thrown: unknown, origin: string) {
    if (exiting) {
      return
    }
    exiting = true
    process.exitCode = 1

    const error = thrown instanceof Error ? thrown : new Error(`${origin}: ${inspect(thrown)}`)
    try {
      if (!app.isBooted) {
        console.error(`Fatal ${origin}:`, error)
        return
      }
      const logger = await app.container.make('logger')
      logger.fatal({ err: error, origin }, `${origin}: ${safeErrorMessage(error)}`)
      await flushLogs(logger)
    } catch {
      console.error(`Fatal ${origin}:`, error)
    } finally {
      process.exit(1)
    }
  }

  process.on('uncaughtException', (error) => exit(error, 'uncaught exception'))
  process.on('unhandledRejection', (reason) => exit(reason, 'unhandled rejection'))
}
