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
import app from '@adonisjs/core/services/app'
import { appKey, duration } from '#kit/runtime'
import { trustProxy } from '#kit/security'

/**
 * The HTTP server's own variables (PORT, HOST, LOG_LEVEL, SESSION_DRIVER)
 * are required only where the HTTP server runs (the "web" environment:
 * "bin/server.ts", which "node ace serve" and "npm start" start). An ace
 * command ("node ace migration:run" in a deploy script, say) and the test
 * runner get `fallback` when one is unset; a value that is set is always
 * validated.
 */
const serverStarts = !app || app.getEnvironment() === 'web'
function serverVariable<T>(validate: (key: string, value?: string) => T, fallback: T) {
  return (key: string, value?: string): T =>
    value === undefined && !serverStarts ? fallback : validate(key, value)
}

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: serverVariable(Env.schema.number(), 3333),
  HOST: serverVariable(Env.schema.string({ format: 'host' }), 'localhost'),
  LOG_LEVEL: serverVariable(
    Env.schema.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    'info'
  ),

  /**
   * Signs cookies and encrypts values. At least 32 characters; the boot
   * stops with instructions when it is missing or too short.
   */
  APP_KEY: appKey,

  /**
   * The proxies trusted to name the client in X-Forwarded-For: "none"
   * (the default: the client is the connection's address), a number of
   * proxies, or a comma-separated list of their addresses (IPs, CIDR
   * ranges, loopback, linklocal, uniquelocal). See docs/production.md.
   */
  TRUST_PROXY: trustProxy,

  /*
  |----------------------------------------------------------
  | Variables for configuring session package
  |----------------------------------------------------------
  */
  SESSION_DRIVER: serverVariable(
    Env.schema.enum(['database', 'redis', 'cookie'] as const),
    'database'
  ),

  /**
   * Where sessions live: the table (SESSION_DRIVER=database) and the Redis
   * key prefix (SESSION_DRIVER=redis). Give each app its own when several
   * share a database or a Redis server.
   */
  SESSION_TABLE: Env.schema.string.optional(),
  SESSION_REDIS_PREFIX: Env.schema.string.optional(),

  /**
   * Session token rotation (durations such as "30s", "15m", "7d"); see
   * config/session_security.ts.
   */
  SESSION_ROTATION_INTERVAL: Env.schema.string.optional(),
  SESSION_ROTATION_GRACE: Env.schema.string.optional(),
  SESSION_ABSOLUTE_LIFETIME: Env.schema.string.optional(),

  /**
   * How long a proof of who is using a session (the password or a code,
   * typed at sign-in or on the confirm page) lets it make account changes
   * ("10m" unless set; see app/claims/recent_auth_claim.ts).
   */
  SESSION_RECENT_AUTH_WINDOW: Env.schema.string.optional(),

  /*
  |----------------------------------------------------------
  | Variables for configuring the limiter package
  |----------------------------------------------------------
  */

  /**
   * Where the limiter keeps its counters: "database" (the rate_limits
   * table) or "redis". Unset, it follows SESSION_DRIVER (see
   * config/limiter.ts). LIMITER_REDIS_PREFIX is the prefix of its Redis keys.
   */
  LIMITER_STORE: Env.schema.enum.optional(['database', 'redis'] as const),
  LIMITER_REDIS_PREFIX: Env.schema.string.optional(),

  /**
   * The throttle of forms that check a secret or send mail (sign-in):
   * failures allowed per account and address, and per address, before a
   * lockout; and how long the first lockout lasts (each next one doubles).
   */
  THROTTLE_ACCOUNT_ATTEMPTS: Env.schema.number.optional(),
  THROTTLE_IP_ATTEMPTS: Env.schema.number.optional(),
  THROTTLE_LOCKOUT: duration,

  /*
  |----------------------------------------------------------
  | Variables for configuring the database package
  |----------------------------------------------------------
  */
  DB_CONNECTION: Env.schema.enum.optional(['sqlite', 'pg'] as const),
  DB_SQLITE_FILE: Env.schema.string.optional(),

  /*
  |----------------------------------------------------------
  | Variables for configuring the graceful shutdown
  |----------------------------------------------------------
  */
  SHUTDOWN_TIMEOUT: duration,

  /**
   * PostgreSQL (DB_CONNECTION=pg). PG_SCHEMA is the schema the app's tables
   * live in (the search path); PG_QUERY_TIMEOUT (ms, 0 for none) bounds a
   * query that gets no answer.
   */
  PG_HOST: Env.schema.string.optional({ format: 'host' }),
  PG_PORT: Env.schema.number.optional(),
  PG_USER: Env.schema.string.optional(),
  PG_PASSWORD: Env.schema.string.optional(),
  PG_DB_NAME: Env.schema.string.optional(),
  PG_SCHEMA: Env.schema.string.optional(),
  PG_QUERY_TIMEOUT: Env.schema.number.optional(),

  /*
  |----------------------------------------------------------
  | Variables for configuring the redis package
  |----------------------------------------------------------
  */
  REDIS_HOST: Env.schema.string.optional({ format: 'host' }),
  REDIS_PORT: Env.schema.number.optional(),
  REDIS_PASSWORD: Env.schema.string.optional(),
  REDIS_DB: Env.schema.number.optional(),

  /*
  |----------------------------------------------------------
  | Variables for configuring the mail package
  |----------------------------------------------------------
  */

  /**
   * The address links in mails point to (sign-up verification, password
   * reset), never taken from the request's Host header. Defaults to
   * http://HOST:PORT; set it in production (https://app.example.com).
   */
  APP_URL: Env.schema.string.optional({ format: 'url', tld: false }),

  /**
   * Passkeys (config/mfa.ts): the origin browsers reach the app at
   * (default APP_URL) and the relying party id passkeys are bound to
   * (default: that origin's host name; a parent domain of it is allowed).
   */
  WEBAUTHN_ORIGIN: Env.schema.string.optional({ format: 'url', tld: false }),
  WEBAUTHN_RP_ID: Env.schema.string.optional({ format: 'host' }),

  /**
   * "true" when TLS ends at a proxy in front of the app that serves HTTPS
   * to browsers: the production server then does not warn about an http:
   * APP_URL, nor read requests forwarded over plain HTTP as browsers on
   * plain HTTP (config/https.ts). See docs/production.md.
   */
  TLS_TERMINATED_AT_PROXY: Env.schema.boolean.optional(),

  /**
   * The sender of every mail ("Name <address>" or an address).
   */
  MAIL_FROM: Env.schema.string.optional(),

  /**
   * The SMTP server mails go through in production (development writes
   * them to tmp/mails/ instead; see config/mail.ts).
   */
  SMTP_HOST: Env.schema.string.optional({ format: 'host' }),
  SMTP_PORT: Env.schema.number.optional(),
  SMTP_USERNAME: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.string.optional(),
})
