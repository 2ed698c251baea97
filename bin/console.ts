/*
|--------------------------------------------------------------------------
| Ace entry point
|--------------------------------------------------------------------------
|
| The "console.ts" file is the entrypoint for booting the AdonisJS
| command-line framework and executing commands.
|
| Commands do not boot the application, unless the currently running command
| has "options.startApp" flag set to true.
|
*/

/**
 * First: an older Node.js stops with one line that says what to install
 * (plain JavaScript, see the file).
 */
import './node_version.js'

import 'reflect-metadata'
/**
 * First, before the ace UI loads: output to a pipe gets an 80-column
 * width without spawning `tput` (see the file).
 */
import '#kit/runtime/console_width'
/**
 * From "@adonisjs/core/ignitor" rather than "@adonisjs/core": the package's
 * main entry also loads its error classes and with them the HTTP and
 * encryption modules, a third of the start-up time of an ace command.
 */
import { Ignitor } from '@adonisjs/core/ignitor'
import { prepareEnvironment } from '#kit/runtime/process'
import { printBootError, useLoggerErrorStyle } from '#kit/runtime/console'

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

/**
 * First run in a development checkout: create ".env" with a fresh APP_KEY.
 * For "node ace test": read ".env.test" only (never ".env") and give the
 * test run an in-memory key.
 */
await prepareEnvironment(APP_ROOT, process.argv.slice(2))

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })

    /**
     * SIGTERM (and SIGINT under pm2) ends the command once the app has
     * terminated. Terminating is not enough for a command that stays alive:
     * "node ace serve" keeps its file watcher and HTTP server child, so the
     * process would run on. On exit, the child gets SIGTERM (execa's
     * cleanup) and shuts down gracefully.
     */
    const stop = async () => {
      await app.terminate()
      process.exit()
    }
    app.listen('SIGTERM', stop)
    app.listenIf(app.managedByPm2, 'SIGINT', stop)
  })
  .ace()
  .configure(async (app) => {
    /**
     * Errors a person fixes at once (an invalid environment, an unknown
     * flag) print as "[ error ] ..." lines, like the kit's commands' own.
     */
    useLoggerErrorStyle(await app.container.make('ace'))
  })
  .handle(process.argv.splice(2))
  .catch(async (error) => {
    process.exitCode = 1
    await printBootError(error)
  })
