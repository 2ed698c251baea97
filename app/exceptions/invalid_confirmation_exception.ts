import { Exception } from '@adonisjs/core/exceptions'

/**
 * A refused confirmation ("Confirm it's you"): a wrong password, or a
 * second-factor code that is wrong or used. One message for all, so that
 * a guess learns nothing. A 4xx: the form throttle counts it as a failed
 * attempt.
 */
export default class InvalidConfirmationException extends Exception {
  static status = 400
  static code = 'E_INVALID_CONFIRMATION'
  static message = 'This password or code is not valid.'

  constructor() {
    super(InvalidConfirmationException.message)
  }
}
