import { Exception } from '@adonisjs/core/exceptions'

/**
 * Why a passkey response was refused, for the logs (clients see one
 * message for all):
 *
 * - `challenge`: no challenge of this ceremony in the session, used
 *   already, or expired;
 * - `response`: the response does not verify (another challenge, origin
 *   or relying party id, a bad signature, no user verification, a
 *   malformed body);
 * - `unknown_credential`: no passkey of that id (of this user);
 * - `counter`: the signature counter did not increase (a cloned
 *   authenticator, or a replayed response);
 * - `duplicate`: the passkey is registered already.
 */
export type PasskeyRejection =
  'challenge' | 'response' | 'unknown_credential' | 'counter' | 'duplicate'

/**
 * A passkey response that was refused (registration or sign-in). A 400
 * with the code E_PASSKEY_REJECTED in every error format; `reason` says
 * why, for the logs only: a guess learns nothing from the answer.
 */
export default class PasskeyRejectedException extends Exception {
  static status = 400
  static code = 'E_PASSKEY_REJECTED'
  static message = 'This passkey could not be verified. Try again.'

  constructor(
    readonly reason: PasskeyRejection,
    options?: { cause?: unknown }
  ) {
    super(PasskeyRejectedException.message, options)
  }
}
