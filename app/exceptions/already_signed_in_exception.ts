import { Exception } from '@adonisjs/core/exceptions'

/**
 * An API client that is signed in asked for a guest-only action (signing
 * in, signing up): 409, in the client's format. Browsers are sent home
 * instead (see GuestMiddleware). Sign out first to sign in as someone
 * else.
 */
export default class AlreadySignedInException extends Exception {
  static status = 409
  static code = 'E_ALREADY_SIGNED_IN'
  static message = 'You are already signed in.'

  constructor() {
    super(AlreadySignedInException.message)
  }
}
