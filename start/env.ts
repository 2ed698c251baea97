/*
|--------------------------------------------------------------------------
| Environment variables service
|--------------------------------------------------------------------------
|
| The `Env.create` method creates an instance of the Env service. The
| service validates the environment variables and also cast values
| to JavaScript data types.
|
*/

import { Env } from '@adonisjs/core/env'
import { appKey } from '#first_run/app_key'
import { duration } from '#services/duration'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  HOST: Env.schema.string({ format: 'host' }),
  LOG_LEVEL: Env.schema.enum([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),

  /**
   * Signs cookies and encrypts values. At least 32 characters; the boot
   * stops with instructions when it is missing or too short.
   */
  APP_KEY: appKey,

  /*
  |----------------------------------------------------------
  | Variables for configuring session package
  |----------------------------------------------------------
  */
  SESSION_DRIVER: Env.schema.enum(['database', 'cookie'] as const),

  /**
   * Session token rotation (durations such as "30s", "15m", "7d"); see
   * config/session_security.ts.
   */
  SESSION_ROTATION_INTERVAL: Env.schema.string.optional(),
  SESSION_ROTATION_GRACE: Env.schema.string.optional(),
  SESSION_ABSOLUTE_LIFETIME: Env.schema.string.optional(),

  /*
  |----------------------------------------------------------
  | Variables for configuring the database package
  |----------------------------------------------------------
  */
  DB_CONNECTION: Env.schema.enum.optional(['sqlite'] as const),
  DB_SQLITE_FILE: Env.schema.string.optional(),

  /*
  |----------------------------------------------------------
  | Variables for configuring the graceful shutdown
  |----------------------------------------------------------
  */
  SHUTDOWN_TIMEOUT: duration,
})
