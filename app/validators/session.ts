import vine from '@vinejs/vine'
import { accountEmail } from '#validators/account'

/**
 * Validates the login form. The email is normalised as accounts store
 * it; one that could pass for another is refused before any lookup.
 */
export const loginValidator = vine.compile(
  vine.object({
    email: accountEmail(),
    password: vine.string().minLength(1).maxLength(512),
  })
)
