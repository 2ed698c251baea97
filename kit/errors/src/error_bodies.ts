import type { ErrorDescription } from '#kit/errors/src/error_description'
import type { ErrorFormat } from '#kit/errors/src/negotiate'

/**
 * The body for `application/json` clients:
 * `{ errors: [{ status, code, message, field?, rule? }], requestId }`.
 */
export function jsonErrorBody(error: ErrorDescription) {
  return {
    errors: error.errors.map((entry, index) => ({
      ...entry,
      ...(index === 0 ? error.details : {}),
      ...(index === 0 && error.stack ? { stack: error.stack } : {}),
    })),
    requestId: error.requestId,
  }
}

/**
 * The body for JSON:API clients (`application/vnd.api+json`):
 * `{ errors: [{ status: "404", code, title, detail, source? }], meta: { requestId } }`.
 */
export function jsonApiErrorBody(error: ErrorDescription) {
  return {
    errors: error.errors.map((entry, index) => {
      const meta = {
        ...entry.meta,
        ...(entry.rule ? { rule: entry.rule } : {}),
        ...(index === 0 ? error.details : {}),
        ...(index === 0 && error.stack ? { stack: error.stack } : {}),
      }
      return {
        status: String(entry.status),
        code: entry.code,
        title: error.title,
        detail: entry.message,
        ...(entry.field ? { source: { pointer: `/${entry.field.split('.').join('/')}` } } : {}),
        ...(Object.keys(meta).length ? { meta } : {}),
      }
    }),
    meta: { requestId: error.requestId },
  }
}

/**
 * The RFC 9457 body for `application/problem+json` clients:
 * `{ type, title, status, detail, instance, code, requestId, errors? }`.
 */
export function problemErrorBody(error: ErrorDescription) {
  const fieldErrors = error.errors.filter((entry) => entry.field)
  return {
    type: 'about:blank',
    title: error.title,
    status: error.status,
    detail: error.message,
    instance: error.path,
    code: error.code,
    requestId: error.requestId,
    ...(fieldErrors.length
      ? {
          errors: fieldErrors.map(({ field, rule, message }) => ({
            field,
            rule,
            message,
            pointer: `/${field!.split('.').join('/')}`,
          })),
        }
      : {}),
    ...error.details,
    ...(error.stack ? { stack: error.stack } : {}),
  }
}

/**
 * The body of an error in one of the JSON formats, serialized.
 */
export function errorBody(error: ErrorDescription, format: Exclude<ErrorFormat, 'html'>) {
  const body =
    format === 'jsonapi'
      ? jsonApiErrorBody(error)
      : format === 'problem'
        ? problemErrorBody(error)
        : jsonErrorBody(error)
  return JSON.stringify(body)
}
