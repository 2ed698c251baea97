import { Exception } from '@adonisjs/core/exceptions'

/**
 * A link from a mail (email verification, password reset) that does not
 * work: expired, tampered with, or already used (`reason`). Answered with
 * `respond()` and the page of its flow, which says why and offers a new
 * link; API clients get a 400 body.
 */
export default class LinkFailedException extends Exception {
  static status = 400
  static code = 'E_LINK_FAILED'
  static message = 'This link does not work.'

  constructor(readonly reason: string) {
    super(LinkFailedException.message)
  }
}
