import { Exception } from '@adonisjs/core/exceptions'

/**
 * A second-factor code that was refused: wrong, of a time step already
 * used, or a recovery code that does not exist or was used. One message
 * for all, so that a guess learns nothing. A 4xx: the form throttle
 * counts it as a failed attempt.
 */
export default class InvalidMfaCodeException extends Exception {
  static status = 400
  static code = 'E_INVALID_MFA_CODE'
  static message = 'This code is not valid. Check your authenticator app and try again.'

  constructor() {
    super(InvalidMfaCodeException.message)
  }
}
