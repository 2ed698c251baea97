import vine from '@vinejs/vine'

/**
 * Passwords of new accounts: at least 8 characters (NIST SP 800-63B), at
 * most 128 (hashing a longer one costs more and guards nothing).
 */
export const PASSWORD_LENGTH = { min: 8, max: 128 }

/**
 * An email address, trimmed and lowercased: stored and compared that
 * way.
 */
const email = () => vine.string().trim().toLowerCase().email().maxLength(254)

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
const newEmail = () => email().unique({ table: 'users', column: 'email', caseInsensitive: true })

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
export const forgotPasswordValidator = vine.compile(vine.object({ email: email() }))

/**
 * The "choose a new password" form.
 */
export const resetPasswordValidator = vine.compile(vine.object({ password: newPassword() }))

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
