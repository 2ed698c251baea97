/**
 * The runtime module's readiness check: `PendingMigrationsCheck`, for the
 * app's health checks ("start/health.ts"). A separate entry from
 * "#kit/runtime": it loads @adonisjs/core's health checks, which the
 * processes that load "#kit/runtime" (every ace command, through
 * "start/env.ts") do not need.
 */

export { PendingMigrationsCheck } from './src/pending_migrations_check.js'
