/**
 * Runtime: what keeps the app's process healthy around its requests:
 * work left to run after a response, the SQLite connection's prepared
 * statements, log flushing, the environment helpers of "start/env.ts"
 * (durations, the app key), and `defineConfig` of "config/shutdown.ts".
 *
 * Its other entries: "#kit/runtime/provider" (the provider),
 * "#kit/runtime/mail" (mail delivery), "#kit/runtime/health" (the pending
 * migrations readiness check), "#kit/runtime/file_transport"
 * (the development mail transport),
 * "#kit/runtime/process" (for "bin/*.ts": fatal errors, graceful
 * shutdown, the first-run ".env"), "#kit/runtime/console" (boot errors
 * as console lines), "#kit/runtime/console_width"
 * (imported first by "bin/console.ts") and "#kit/runtime/first_run_notices"
 * (the assembler hook of "adonisrc.ts").
 */

export { defineConfig, type ShutdownConfig } from './define_config.js'
export { AfterResponseTasks } from './src/after_response_tasks.js'
export {
  SqliteConnection,
  quoteIdentifier,
  type SqliteDatabase,
  type SqliteStatement,
} from './src/sqlite_connection.js'
export { flushLogs, LOG_FLUSH_TIMEOUT_MS } from './src/log_flush.js'
export { duration } from './src/duration.js'
export { appKey, generateAppKey, MIN_APP_KEY_LENGTH } from './src/first_run/app_key.js'
