/**
 * The process-level helpers of the runtime module, for "bin/*.ts": the
 * first-run ".env" (and ".env.test" for test runs), fatal errors, and
 * the graceful shutdown of the HTTP server.
 * A separate entry from "#kit/runtime": it is loaded before the app boots.
 */

export {
  prepareEnvironment,
  ensureEnvFile,
  useTestEnvFile,
  NO_ENV_FILES_PATH,
  type EnvFileResult,
} from './src/first_run/env_file.js'
export { exitOnFatalErrors } from './src/fatal_errors.js'
export { GracefulShutdown } from './src/graceful_shutdown.js'
