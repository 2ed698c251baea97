import vine from '@vinejs/vine'
import { PASSKEY_NAME_MAX_LENGTH } from '#models/webauthn_credential'

/**
 * A passkey's name, as the user types it ("Work laptop"): shown on the
 * security page only.
 */
const passkeyName = () => vine.string().trim().minLength(1).maxLength(PASSKEY_NAME_MAX_LENGTH)

/**
 * Adding a passkey: the browser's registration response (checked by
 * `verifyPasskeyRegistration`, which refuses anything else) and an
 * optional name.
 */
export const newPasskeyValidator = vine.compile(
  vine.object({
    name: passkeyName().optional(),
    response: vine.object({}).allowUnknownProperties(),
  })
)

/**
 * Renaming a passkey.
 */
export const passkeyNameValidator = vine.compile(vine.object({ name: passkeyName() }))
