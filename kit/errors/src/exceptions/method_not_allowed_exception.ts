import { Exception } from '@adonisjs/core/exceptions'

/**
 * A request whose URL has routes, none for its method: 405 with an
 * `Allow` header listing the methods that have one. Made by the exception
 * handler from the router's E_ROUTE_NOT_FOUND (see `allowedMethods`).
 */
export default class MethodNotAllowedException extends Exception {
  static status = 405
  static code = 'E_METHOD_NOT_ALLOWED'

  constructor(
    readonly method: string,
    readonly allow: readonly string[]
  ) {
    super(`${method} is not allowed here. Allowed: ${allow.join(', ')}.`)
  }
}
