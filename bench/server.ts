/*
|--------------------------------------------------------------------------
| The HTTP server, as "bin/server.ts" starts it, plus the bench-only routes
| of "bench/routes.ts". Started by "npm run bench" from the production
| build (build/bench/server.js); never by the app itself.
|--------------------------------------------------------------------------
*/

import 'reflect-metadata'
import { Ignitor, prettyPrintError } from '@adonisjs/core'
import { exitOnFatalErrors } from '#services/fatal_errors'
import { GracefulShutdown } from '#services/graceful_shutdown'

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })
    app.starting(async () => {
      await import('./routes.js')
    })
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
