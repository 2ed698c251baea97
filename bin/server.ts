/*
|--------------------------------------------------------------------------
| HTTP server entrypoint
|--------------------------------------------------------------------------
|
| The "server.ts" file is the entrypoint for starting the AdonisJS HTTP
| server. Either you can run this file directly or use the "serve"
| command to run this file and monitor file changes
|
*/

/**
 * First: an older Node.js stops with one line that says what to install
 * (plain JavaScript, see the file).
 */
import './node_version.js'

import 'reflect-metadata'
import { Ignitor } from '@adonisjs/core/ignitor'
import { exitOnFatalErrors, GracefulShutdown } from '#kit/runtime/process'

/**
 * URL to the application root. AdonisJS need it to resolve
 * paths to file and directories for scaffolding commands
 */
const APP_ROOT = new URL('../', import.meta.url)

/**
 * The importer is used to import files in context of the
 * application.
 */
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

    /**
     * An error nobody caught is logged at "fatal" level and ends the
     * process with code 1, for the supervisor to start a new one.
     */
    exitOnFatalErrors(app)

    /**
     * SIGTERM (from Docker, Kubernetes, systemd) and SIGINT (Ctrl+C, pm2)
     * stop the server gracefully: see kit/runtime/src/graceful_shutdown.ts.
     */
    const shutdown = new GracefulShutdown(app)
    app.listen('SIGTERM', (signal) => shutdown.run(signal))
    app.listen('SIGINT', (signal) => shutdown.run(signal))
  })
  .httpServer()
  .start()
  .catch(async (error) => {
    process.exitCode = 1
    /**
     * An invalid environment prints as plain lines; anything else with its
     * stack trace. Imported here: the server needs ace's UI only for this.
     */
    const { printBootError } = await import('#kit/runtime/console')
    await printBootError(error)
  })
