import type { Logger } from '@adonisjs/core/logger'

/**
 * How long `flushLogs` waits at most.
 */
export const LOG_FLUSH_TIMEOUT_MS = 2000

/**
 * Waits until the log lines written so far have left the process (the
 * pino transport thread has handed them to stdout), or until `timeoutMs`
 * has passed: a slow or broken log destination, such as a pipe nobody
 * reads, cannot hold the process forever. Never rejects.
 */
export function flushLogs(logger: Logger, timeoutMs = LOG_FLUSH_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs)
    const done = () => {
      clearTimeout(timer)
      resolve()
    }

    try {
      if (typeof logger.pino.flush === 'function') {
        logger.pino.flush(done)
      } else {
        done()
      }
    } catch {
      done()
    }
  })
}
