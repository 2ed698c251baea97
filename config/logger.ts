import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, targets } from '@adonisjs/core/logger'
import { errorSerializer, redactKeys } from '#kit/errors/error_log'
import { maskEmail } from '#validators/account_email'

/**
 * Values that never reach the logs, wherever they appear in a log object,
 * whatever the case of their key: cookies, credentials, passwords, tokens
 * and secrets. They are replaced by "[redacted]".
 */
const REDACTED_KEYS = [
  'cookie',
  'cookies',
  'set-cookie',
  'authorization',
  'password',
  'password_confirmation',
  'passwordConfirmation',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'apiKey',
  'sessionId',
]

/**
 * Returns a log value with the REDACTED_KEYS censored, at any depth.
 */
const redact = redactKeys(REDACTED_KEYS)

/**
 * What a log line holds of an error (see `errorSerializer`), censored too.
 */
const serializeError = errorSerializer(maskEmail)

const loggerConfig = defineConfig({
  default: 'app',

  /**
   * The loggers object can be used to define multiple loggers.
   * By default, we configure only one logger (named "app").
   */
  loggers: {
    app: {
      enabled: true,
      name: 'app',
      level: env.get('LOG_LEVEL'),

      /**
       * Remove secrets from log lines (see REDACTED_KEYS above): from the
       * object of each line, from errors, and from objects formatted into
       * the message. Pino's `redact` paths cover the bindings of child
       * loggers (`logger.child({ token })`), top level.
       */
      formatters: { log: redact },
      redact: {
        paths: REDACTED_KEYS.map((key) => `["${key}"]`),
        censor: '[redacted]',
      },

      /**
       * Errors (`err`) are logged without what they may quote: a database
       * error as its code and the names of what failed, never the SQL's
       * values; email addresses masked in any other error.
       */
      serializers: { err: (error: unknown) => redact(serializeError(error)) },

      /**
       * Escape CR and LF in messages, so a value such as a URL or a header
       * cannot start a forged log line (JSON output escapes them anyway;
       * this covers the pretty output of development too). Objects after
       * the first argument are formatted into the message (`%j`, `%o`):
       * their secrets are censored here.
       */
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg, index) => {
              if (typeof arg === 'string') {
                return arg.replace(/\r/g, '\\r').replace(/\n/g, '\\n')
              }
              return index === 0 ? arg : redact(arg)
            }) as Parameters<typeof method>
          )
        },
      },

      /**
       * Pretty, colourful lines in development; one JSON object per line
       * (on stdout) everywhere else, for log collectors.
       */
      transport: {
        targets: targets()
          .pushIf(app.inDev, targets.pretty())
          .pushIf(!app.inDev, targets.file({ destination: 1 }))
          .toArray(),
      },
    },
  },
})

export default loggerConfig

/**
 * Inferring types for the list of loggers you have configured
 * in your application.
 */
declare module '@adonisjs/core/types' {
  export interface LoggersList extends InferLoggers<typeof loggerConfig> {}
}
