import { prettyPrintError } from '@adonisjs/core'
import { cliui } from '@adonisjs/core/ace'

/**
 * The error @adonisjs/env throws when the environment does not pass the
 * schema of "start/env.ts": `help` lists each problem on its own line.
 */
type EnvValidationError = Error & { code: 'E_INVALID_ENV_VARIABLES'; help: string }

/**
 * True for @adonisjs/env's validation error.
 */
function isEnvValidationError(error: unknown): error is EnvValidationError {
  return (
    error instanceof Error &&
    (error as Partial<EnvValidationError>).code === 'E_INVALID_ENV_VARIABLES'
  )
}

/**
 * The text of an invalid environment: the summary, then one problem per
 * line, as written (no wrapping to the terminal's width, no stack trace:
 * the fix is in the environment, not in the code).
 */
export function envErrorText(error: EnvValidationError): string {
  return `${error.message}:\n${error.help}`
}

/**
 * Prints an error that stopped the app before it ran ("bin/server.ts"):
 * an invalid environment as plain "[ error ]" lines, anything else with
 * its stack trace (Youch).
 */
export async function printBootError(error: unknown) {
  if (isEnvValidationError(error)) {
    cliui().logger.error(envErrorText(error))
    return
  }
  await prettyPrintError(error)
}
