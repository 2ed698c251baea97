import type { ErrorDescription } from '#kit/errors/src/error_description'
import type { ErrorFormat } from '#kit/errors/src/negotiate'

/**
 * The body for `application/json` clients:
 * `{ errors: [{ status, code, message, field?, rule? }], requestId }`,
 * after the top-level members an error adds (`jsonMembers`).
 */
export function jsonErrorBody(error: ErrorDescription) {
  return {
    ...error.jsonMembers,
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
 * Characters a URI path keeps as they are (RFC 3986: unreserved,
 * sub-delims, ":", "@" and "/"); a "%" stays when it starts an escape.
 */
const PATH_CHARACTER = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/

/**
 * The request path as a URI reference: the target as the client sent it
 * (already percent-encoded by any conforming client), with anything a URI
 * may not hold percent-encoded (UTF-8), including a "%" that starts no
 * escape (`/%E0%A4%A` gives `/%E0%A4%25A`).
 */
export function uriPath(target: string): string {
  let path = ''
  for (let index = 0; index < target.length; index++) {
    const char = target[index]
    if (
      PATH_CHARACTER.test(char) ||
      (char === '%' && /^[0-9A-Fa-f]{2}$/.test(target.slice(index + 1, index + 3)))
    ) {
      path += char
      continue
    }
    const code = target.codePointAt(index)!
    const encoded = Buffer.from(String.fromCodePoint(code), 'utf8')
    if (code > 0xffff) {
      index++
    }
    for (const byte of encoded) {
      path += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
    }
  }
  return path
}

/**
 * The RFC 9457 body for `application/problem+json` clients:
 * `{ type, title, status, detail, instance, code, requestId, errors? }`.
 * `type` is `about:blank` (the problem is what its status says; the title
 * is the status's reason phrase); `code`, `requestId`, `errors` and the
 * members an error adds are extension members, documented in
 * docs/errors.md. `instance` is the request path as a URI reference.
 */
export function problemErrorBody(error: ErrorDescription) {
  const fieldErrors = error.errors.filter((entry) => entry.field)
  return {
    type: 'about:blank',
    title: error.title,
    status: error.status,
    detail: error.message,
    instance: uriPath(error.path),
    code: error.code,
    requestId: error.requestId,
    ...(fieldErrors.length
      ? {
          errors: fieldErrors.map(({ field, rule, message, meta }) => ({
            field,
            rule,
            message,
            pointer: `/${field!.split('.').join('/')}`,
            ...(meta ? { meta } : {}),
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
