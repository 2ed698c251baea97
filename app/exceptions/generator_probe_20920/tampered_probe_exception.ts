import { Exception } from '@adonisjs/core/exceptions'

/**
 * Conflict (409). Throw it with its default message or your own:
 * "throw new TamperedProbeException()" or "throw new TamperedProbeException('...')".
 */
export default class TamperedProbeException extends Exception {
  static status = 418
  static code = 'E_TAMPERED_PROBE'
  static message = 'Tampered probe'
}
