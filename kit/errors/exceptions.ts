/**
 * The errors module's light entry: the exceptions and error helpers other
 * modules throw and use, without the HTTP machinery of "#kit/errors" (the
 * handler mixin, the responder, and the app and logger services they
 * load). Code that loads for every ace command or before the app exists
 * imports this one: config files, "start/env.ts" through the security
 * module, "bin/*.ts" through the runtime module, the generators' commands.
 * "#kit/errors" exports all of it too.
 */
export {
  type HttpError,
  isErrorStatus,
  statusTitle,
  statusErrorCode,
  toHttpError,
} from './src/http_error.js'
export {
  bodyFaultError,
  bodyTooDeepError,
  invalidJsonError,
  jsonNotObjectError,
} from './src/body_fault.js'
export {
  type DatabaseErrorReport,
  databaseErrorReport,
  isDatabaseError,
  isUniqueViolation,
  safeErrorMessage,
} from './src/database_error.js'
export { withoutStackTrace } from './src/without_stack_trace.js'
export { newRequestId, requestIdFrom } from './src/request_id.js'
export { type StoreName, unavailableStore } from './src/unavailable_store.js'
export { default as ServiceUnavailableException } from './src/exceptions/service_unavailable_exception.js'
export {
  default as TooManyAttemptsException,
  type ThrottleScope,
  type ThrottledAttempt,
} from './src/exceptions/too_many_attempts_exception.js'
