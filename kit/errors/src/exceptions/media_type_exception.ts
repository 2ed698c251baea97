import { Exception } from '@adonisjs/core/exceptions'

/**
 * A request whose media types the app cannot honour: 406 when the Accept
 * header names only representations the app cannot produce, 415 when the
 * request body's Content-Type is one it does not take. Raised by the
 * JSON:API media type check (`jsonApiMediaTypeFault`), which says which.
 */
export default class MediaTypeException extends Exception {
  static messages = {
    406: 'None of the JSON:API media types in the Accept header can be served: the server supports no extensions (ext) and no media type parameters other than ext and profile.',
    415: 'The JSON:API media type of the request body carries a parameter other than ext and profile, or an extension (ext) the server does not support.',
  } as const

  static codes = { 406: 'E_NOT_ACCEPTABLE', 415: 'E_UNSUPPORTED_MEDIA_TYPE' } as const

  constructor(readonly status: 406 | 415) {
    super(MediaTypeException.messages[status], { status, code: MediaTypeException.codes[status] })
  }
}
