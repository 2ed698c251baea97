/**
 * The errors module: one path from an error to a response.
 *
 * - `ErrorResponses`, the mixin of the app's exception handler
 *   (`compose(ExceptionHandler, ErrorResponses, ...)`): negotiated bodies
 *   (JSON, JSON:API, problem+json), status pages with a fallback, safe
 *   descriptions, report throttling, store outages;
 * - `respond()`, for exceptions that handle themselves and controllers
 *   that answer with an error;
 * - the responder that writes every error response, the negotiation, and
 *   the bad-URL answer sent before AdonisJS makes a request;
 * - the exceptions and error helpers other modules use.
 *
 * Settings: config/errors.ts (`defineConfig`); provider: kit/errors/provider.ts.
 *
 * Light entries, for code that loads for every ace command or before the
 * app exists (this entry loads the app and logger services):
 * "#kit/errors/exceptions" (the exceptions and error helpers other modules
 * use), "#kit/errors/define_config", "#kit/errors/bad_url" and
 * "#kit/errors/error_log" (for config files).
 */
export { defineConfig, type ErrorsConfig } from '#kit/errors/define_config'
export { ErrorResponses, type ErrorResponsesHandler } from '#kit/errors/src/error_responses'
export { respond, reportContext } from '#kit/errors/src/respond'
export { sendBadUrl } from '#kit/errors/src/bad_url'
export { newRequestId, requestIdFrom } from '#kit/errors/src/request_id'
export { type ErrorPagePolicy, applyPagePolicy } from '#kit/errors/src/page_policy'
export {
  type ErrorFormat,
  preferredErrorFormat,
  errorFormatFromAccept,
  jsonApiMediaTypeFault,
} from '#kit/errors/src/negotiate'
export { default as MethodNotAllowedException } from '#kit/errors/src/exceptions/method_not_allowed_exception'
export { default as MediaTypeException } from '#kit/errors/src/exceptions/media_type_exception'
export {
  type ErrorDescription,
  type ErrorEntry,
  describeError,
} from '#kit/errors/src/error_description'
export {
  type StatusPageData,
  type StatusPageExtra,
  statusPageData,
} from '#kit/errors/src/status_page'
export { escapeHtml, fallbackPage } from '#kit/errors/src/fallback_page'
export {
  type HttpError,
  isErrorStatus,
  statusTitle,
  statusErrorCode,
  toHttpError,
} from '#kit/errors/src/http_error'
export {
  bodyFaultError,
  bodyTooDeepError,
  invalidJsonError,
  jsonNotObjectError,
} from '#kit/errors/src/body_fault'
export {
  type DatabaseErrorReport,
  databaseErrorReport,
  isDatabaseError,
  isUniqueViolation,
  safeErrorMessage,
} from '#kit/errors/src/database_error'
export { errorSerializer } from '#kit/errors/src/error_log'
export { withoutStackTrace } from '#kit/errors/src/without_stack_trace'
export { type StoreName, unavailableStore } from '#kit/errors/src/unavailable_store'
export { StoreOutages } from '#kit/errors/src/store_outages'
export { configuredStoreAddress } from '#kit/errors/src/store_address'
export { default as ServiceUnavailableException } from '#kit/errors/src/exceptions/service_unavailable_exception'
export {
  default as TooManyAttemptsException,
  type ThrottleScope,
  type ThrottledAttempt,
} from '#kit/errors/src/exceptions/too_many_attempts_exception'
