import type { Server as NodeHttpServer } from 'node:http'
import string from '@adonisjs/core/helpers/string'
import type { Logger } from '@adonisjs/core/logger'
import type { ApplicationService } from '@adonisjs/core/types'
import { flushLogs } from '#kit/runtime/src/log_flush'

/**
 * How often, while draining, the connections that became idle are closed.
 */
const IDLE_CHECK_INTERVAL_MS = 100

/**
 * Stops the app on SIGTERM or SIGINT without dropping requests:
 *
 * 1. the HTTP server stops accepting connections; keep-alive connections
 *    are closed as soon as they are idle (responses sent from now on
 *    carry "Connection: close");
 * 2. the requests in flight get `timeout` (config/shutdown.ts) to finish;
 *    the connections still open after it are closed;
 * 3. the app terminates: its terminating hooks run and the providers shut
 *    down (Lucid closes the database connections, a Redis provider closes
 *    its connections);
 * 4. the logs are flushed and the process exits with code 0.
 *
 * The session middleware saves the session before the response is sent,
 * so every request that got its response has its session saved before
 * the database connections close. If the whole shutdown takes longer than
 * `timeout` plus `cleanupTimeout` (a database connection that does not
 * close, say), the process exits with code 1.
 */
export class GracefulShutdown {
  #started = false

  constructor(protected app: ApplicationService) {}

  /**
   * Runs the shutdown. Signals received while it runs are ignored.
   */
  async run(signal: NodeJS.Signals) {
    if (this.#started) {
      return
    }
    this.#started = true

    const logger = this.app.isBooted ? await this.app.container.make('logger') : undefined
    const timeout = string.milliseconds.parse(this.app.config.get('shutdown.timeout', '10s'))
    const cleanupTimeout = string.milliseconds.parse(
      this.app.config.get('shutdown.cleanupTimeout', '5s')
    )

    logger?.info({ signal, timeout }, 'shutting down: waiting for the requests in flight')

    const server = await this.#nodeHttpServer()
    const stopDraining = server ? this.#drain(server, timeout, logger) : undefined

    const giveUp = setTimeout(() => {
      logger?.error('the shutdown did not finish in time; exiting anyway')
      process.exit(1)
    }, timeout + cleanupTimeout)
    giveUp.unref()

    try {
      await this.app.terminate()
      logger?.info('shut down')
    } catch (error) {
      process.exitCode = 1
      logger?.error({ err: error }, 'the shutdown failed')
    }

    stopDraining?.()
    if (logger) {
      await flushLogs(logger)
    }
    process.exit()
  }

  /**
   * The Node.js HTTP server, once it listens. Closing it (stop accepting,
   * wait for open connections) is a terminating hook of AdonisJS' Ignitor.
   */
  async #nodeHttpServer(): Promise<NodeHttpServer | undefined> {
    if (!this.app.isReady) {
      return undefined
    }
    const server = await this.app.container.make('server')
    return server.getNodeServer() as NodeHttpServer | undefined
  }

  /**
   * Closes the connections as they become idle: at once for the idle
   * keep-alive ones, after their response for the others (new responses
   * carry "Connection: close"; those already in flight do not, and Node.js
   * would keep their connection open until its keep-alive timeout). The
   * connections still open after `timeout` are closed. Returns a function
   * that stops the timers.
   */
  #drain(server: NodeHttpServer, timeout: number, logger?: Logger) {
    server.prependListener('request', (_request, response) => {
      response.setHeader('connection', 'close')
    })
    server.closeIdleConnections()
    const idleCheck = setInterval(() => server.closeIdleConnections(), IDLE_CHECK_INTERVAL_MS)

    const deadline = setTimeout(() => {
      logger?.warn({ timeout }, 'closing the connections still open after the shutdown timeout')
      server.closeAllConnections()
    }, timeout)

    idleCheck.unref()
    deadline.unref()
    return () => {
      clearInterval(idleCheck)
      clearTimeout(deadline)
    }
  }
}
