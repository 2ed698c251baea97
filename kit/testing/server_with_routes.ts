import { Ignitor, prettyPrintError } from '@adonisjs/core'
import { exitOnFatalErrors } from '#kit/runtime/src/fatal_errors'
import { GracefulShutdown } from '#kit/runtime/src/graceful_shutdown'

/**
 * Starts the HTTP server as "bin/server.ts" does (env, fatal errors,
 * graceful shutdown), plus routes that only exist in that process:
 * `registerRoutes` runs when the app starts. The entry point of the
 * servers the tests ("kit/testing/fixtures/server.ts") and the bench
 * ("kit/bench/server.ts") spawn.
 */
export function startServerWithRoutes(appRoot: URL, registerRoutes: () => Promise<void>) {
  const importer = (filePath: string) => {
    if (filePath.startsWith('./') || filePath.startsWith('../')) {
      return import(new URL(filePath, appRoot).href)
    }
    return import(filePath)
  }

  new Ignitor(appRoot, { importer })
    .tap((app) => {
      app.booting(async () => {
        await import('#start/env')
      })
      app.starting(registerRoutes)
      exitOnFatalErrors(app)
      const shutdown = new GracefulShutdown(app)
      app.listen('SIGTERM', (signal) => shutdown.run(signal))
      app.listen('SIGINT', (signal) => shutdown.run(signal))
    })
    .httpServer()
    .start()
    .catch((error) => {
      process.exitCode = 1
      prettyPrintError(error)
    })
}
