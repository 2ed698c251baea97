import { Exception } from '@adonisjs/core/exceptions'

/**
 * Internal Server Error (500). Throw it with its default message or your own:
 * "throw new CrashProbeException()" or "throw new CrashProbeException('...')".
 */
export default class CrashProbeException extends Exception {
  static status = 500
  static code = 'E_CRASH_PROBE'
  static message = 'Crash probe'
}
