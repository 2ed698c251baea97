import { stdSerializers } from '@adonisjs/core/logger'
import { databaseErrorReport, isDatabaseError } from '#kit/errors/src/database_error'

export { redactKeys } from '#kit/errors/src/log_redaction'

/**
 * An email address anywhere in a text. The local part stops at a slash,
 * so a path such as "node_modules/@adonisjs/core/x.js" is not one.
 */
const EMAIL_ADDRESS = /[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}/g

/**
 * How deep the values of a logged error are searched for addresses.
 */
const MAX_DEPTH = 4

/**
 * The `err` serializer of the app's logger (config/logger.ts:
 * `errorSerializer(maskEmail)`, with the app's way of masking an
 * address): what a log line holds of an error. A database error becomes its report (code and
 * names, no SQL, no value: see `databaseErrorReport`), also when it is
 * the cause of another error; every other error is serialized as pino
 * does, with each email address in it masked ("d***@example.com"): a
 * mail server's refusal, for one, quotes the recipient.
 */
export function errorSerializer(maskEmail: (email: string) => string) {
  return (value: unknown) => serializeErrorForLog(value, maskEmail)
}

function serializeErrorForLog(value: unknown, maskEmail: (email: string) => string): unknown {
  if (!(value instanceof Error)) {
    return value
  }
  const maskAddresses = (object: unknown) => maskAddressesIn(object, maskEmail)
  const report = databaseErrorReport(value)
  if (report) {
    return maskAddresses(report)
  }
  if (isDatabaseError(value.cause)) {
    return maskAddresses({
      type: value.name,
      message: value.message,
      stack: value.stack,
      ...('code' in value ? { code: value.code } : {}),
      cause: databaseErrorReport(value.cause),
    })
  }
  return maskAddresses({ ...stdSerializers.err(value) })
}

/**
 * A copy of a value with every email address in its strings masked.
 */
function maskAddressesIn(value: unknown, maskEmail: (email: string) => string, depth = 0): any {
  if (typeof value === 'string') {
    return value.replace(EMAIL_ADDRESS, maskEmail)
  }
  if (depth >= MAX_DEPTH || value === null || typeof value !== 'object') {
    return value
  }
  if (Array.isArray(value)) {
    return value.map((item) => maskAddressesIn(item, maskEmail, depth + 1))
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, maskAddressesIn(item, maskEmail, depth + 1)])
  )
}
