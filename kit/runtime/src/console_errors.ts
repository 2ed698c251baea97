import { prettyPrintError } from '@adonisjs/core/ignitor'
import { cliui, type Kernel } from '@adonisjs/core/ace'

/**
 * The error @adonisjs/env throws when the environment does not pass the
 * schema of "start/env.ts": `help` lists each problem on its own line.
 */
type EnvValidationError = Error & { code: 'E_INVALID_ENV_VARIABLES'; help: string }

/**
 * Ace's usage errors (`errors` of @adonisjs/ace): one line says it all.
 * "Command not found" is left to ace, which suggests close names.
 */
const USAGE_ERROR_CODES = new Set([
  'E_INVALID_FLAG',
  'E_MISSING_ARG',
  'E_MISSING_ARG_VALUE',
  'E_MISSING_FLAG',
  'E_MISSING_FLAG_VALUE',
  'E_UNKNOWN_FLAG',
])

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
 * True for one of ace's usage errors.
 */
function isUsageError(error: unknown): error is Error {
  return error instanceof Error && USAGE_ERROR_CODES.has((error as { code?: string }).code ?? '')
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

/**
 * Makes ace print the errors a person can fix at once (an invalid
 * environment, an unknown flag, a missing argument) like the kit's
 * commands print theirs: "[ error ] message". Ace's default prints usage
 * errors as a red "ERROR" badge and an invalid environment as a stack
 * trace. Other errors keep ace's rendering.
 */
export function useLoggerErrorStyle(kernel: Kernel) {
  const fallback = kernel.errorHandler
  kernel.errorHandler = {
    async render(error: unknown) {
      if (isEnvValidationError(error)) {
        kernel.ui.logger.error(envErrorText(error))
        return
      }
      if (isUsageError(error)) {
        kernel.ui.logger.error(error.message)
        return
      }
      return fallback.render(error, kernel)
    },
  }
}
