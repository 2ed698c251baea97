import vine from '@vinejs/vine'
import { emailLookalike, normalizeEmail } from '#validators/account_email'

/**
 * Passwords of new accounts: at least 8 characters (NIST SP 800-63B), at
 * most 128 (hashing a longer one costs more and guards nothing).
 */
export const PASSWORD_LENGTH = { min: 8, max: 128 }

/**
 * The messages of `plainEmail`.
 */
const LOOKALIKE_MESSAGES = {
  invisible: 'The {{ field }} field must not contain spaces, invisible or control characters',
  quoted: 'The {{ field }} field must not contain quotes',
}

/**
 * Trims and refuses an address that could pass for another one
 * (`emailLookalike`: invisible, control or bidirectional characters, a
 * quoted local part), then normalises it (`normalizeEmail`: lower case,
 * NFC) for the rules after it.
 */
const plainEmail = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') {
    return
  }
  const trimmed = value.trim()
  const lookalike = emailLookalike(trimmed)
  if (lookalike) {
    field.report(LOOKALIKE_MESSAGES[lookalike], 'plainEmail', field)
    return
  }
  field.mutate(normalizeEmail(trimmed), field)
})

/**
 * An email address, normalised as it is stored and compared (trimmed,
 * lower case, NFC), and refused when it could pass for another one: the
 * rule of every form and command that takes an address (sign-up, sign-in,
 * forgot password, `user:create`).
 */
export const accountEmail = () => vine.string().use(plainEmail()).email().maxLength(254)

/**
 * A new password, typed twice (`password_confirmation`).
 */
const newPassword = () =>
  vine
    .string()
    .minLength(PASSWORD_LENGTH.min)
    .maxLength(PASSWORD_LENGTH.max)
    .confirmed({ confirmationField: 'password_confirmation' })

/**
 * An email no account uses yet (compared without case).
 */
const newEmail = () =>
  accountEmail().unique({ table: 'users', column: 'email', caseInsensitive: true })

/**
 * The sign-up form.
 */
export const signUpValidator = vine.compile(
  vine.object({
    email: newEmail(),
    password: newPassword(),
  })
)

/**
 * The "forgot password" form.
 */
export const forgotPasswordValidator = vine.compile(vine.object({ email: accountEmail() }))

/**
 * The "choose a new password" form.
 */
export const resetPasswordValidator = vine.compile(vine.object({ password: newPassword() }))

/**
 * A new password for a signed-in user (the security page).
 */
export const changePasswordValidator = vine.compile(vine.object({ password: newPassword() }))

/**
 * A new email address for a signed-in user (the security page): one no
 * account uses yet.
 */
export const changeEmailValidator = vine.compile(vine.object({ email: newEmail() }))

/**
 * `node ace user:create`: the account to create.
 */
export const createUserValidator = vine.compile(
  vine.object({
    email: newEmail(),
    password: vine.string().minLength(PASSWORD_LENGTH.min).maxLength(PASSWORD_LENGTH.max),
    role: vine.enum(['user', 'admin'] as const),
  })
)
