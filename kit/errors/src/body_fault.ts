import { Exception } from '@adonisjs/core/exceptions'
import type { HttpError } from '#kit/errors/src/http_error'

/**
 * zlib's codes for a request body that does not decompress: not gzip or
 * deflate data (Z_DATA_ERROR), cut short (Z_BUF_ERROR, brotli too), or
 * asking for a preset dictionary (Z_NEED_DICT).
 */
const UNDECODABLE_ZLIB_CODES = new Set(['Z_DATA_ERROR', 'Z_BUF_ERROR', 'Z_NEED_DICT'])

/**
 * Brotli's codes for data that is not brotli (ERR__ERROR_FORMAT_PADDING_1...).
 */
const UNDECODABLE_BROTLI_CODE = /^ERR__ERROR_FORMAT_/

/**
 * The message the "inflation" package (the body parser's decompressor)
 * gives a Content-Encoding it does not know; it ends with the client's
 * header value, which must not reach the logs or the response.
 */
const UNSUPPORTED_ENCODING = /^Unsupported Content-Encoding: /

/**
 * The client error (4xx) for a request body fault that the body parser
 * lets through as a plain error; undefined for any other error.
 *
 * - A body that does not decompress with its Content-Encoding (not gzip,
 *   deflate or brotli, or cut short): zlib's error would be a 500 with its
 *   stack logged at error level. It is a 400 E_BAD_BODY_ENCODING.
 * - A Content-Encoding the parser does not know ("foo", "gzip, br"): a
 *   415 E_ENCODING_UNSUPPORTED with a fixed message.
 *
 * The kit decompresses nothing but request bodies, so zlib errors come
 * from them; an app that decompresses other data should handle its own.
 * The body parser's other faults (invalid JSON, a bad multipart body, a
 * body over the limit) already carry a 4xx status.
 */
export function bodyFaultError(error: unknown): HttpError | undefined {
  if (!(error instanceof Error)) {
    return undefined
  }
  const { code, errno, status } = error as Error & Record<string, unknown>

  if (
    typeof errno === 'number' &&
    typeof code === 'string' &&
    (UNDECODABLE_ZLIB_CODES.has(code) || UNDECODABLE_BROTLI_CODE.test(code))
  ) {
    return new Exception('The request body could not be decoded with its Content-Encoding.', {
      status: 400,
      code: 'E_BAD_BODY_ENCODING',
    }) as HttpError
  }

  if (status === 415 && UNSUPPORTED_ENCODING.test(error.message)) {
    return new Exception('The Content-Encoding of the request body is not supported.', {
      status: 415,
      code: 'E_ENCODING_UNSUPPORTED',
    }) as HttpError
  }
  return undefined
}

/**
 * A request body nested more than `maxDepth` levels of objects and
 * arrays: a 400 E_BODY_TOO_DEEP, refused before it is parsed (JSON) or
 * used (forms, multipart). The message is the kit's own, never the
 * parser's "Maximum call stack size exceeded".
 */
export function bodyTooDeepError(maxDepth: number): HttpError {
  return new Exception(
    `The request body is nested too deeply: at most ${maxDepth} levels of objects and arrays.`,
    { status: 400, code: 'E_BODY_TOO_DEEP' }
  ) as HttpError
}

/**
 * A JSON body that does not parse: a 400 (E_BAD_REQUEST) that says
 * nothing of the parser (whose message may quote the body).
 */
export function invalidJsonError(): HttpError {
  return new Exception('The request body is not valid JSON.', { status: 400 }) as HttpError
}

/**
 * A JSON body that is a string, a number or a literal where an object or
 * an array is expected (strict mode): a 422 (E_UNPROCESSABLE_ENTITY).
 */
export function jsonNotObjectError(): HttpError {
  return new Exception('The request body must be a JSON object or array.', {
    status: 422,
  }) as HttpError
}
