import { DateTime } from 'luxon'
import encryption from '@adonisjs/core/services/encryption'
import { generateTotpSecret } from '#kit/mfa'
import { cookieValueOf, SESSION_COOKIE, type Visitor } from '#kit/testing'
import TotpFactor from '#models/totp_factor'
import RecoveryCode from '#models/recovery_code'
import { createUser } from '#tests/helpers/mfa'

/**
 * A new user with an authenticator app already on (made in the database
 * with this process's encryption, no code used yet) and, with `codes`,
 * recovery codes. Returns the user, the secret and the codes.
 */
export async function userWithTotp(options: { codes?: boolean } = {}) {
  const user = await createUser('mfa-user')
  const secret = generateTotpSecret()
  await TotpFactor.create({
    userId: user.id,
    secret: encryption.encrypt(secret, undefined, 'totp_secret'),
    confirmedAt: DateTime.now(),
  })
  const codes = options.codes ? await RecoveryCode.replaceFor(user) : []
  return { user, secret, codes }
}

/**
 * The session token a visitor holds (the signed cookie's message).
 */
export function sessionTokenOfVisitor(visitor: Visitor): string | undefined {
  const raw = visitor.cookies.get(SESSION_COOKIE)
  return raw === undefined ? undefined : cookieValueOf(`${SESSION_COOKIE}=${raw}`)
}

/**
 * A new CSRF token for an API client (`GET /api/csrf`).
 */
export async function apiCsrfToken(visitor: Visitor): Promise<string> {
  const response = await visitor.fetch('/api/csrf', { headers: { accept: 'application/json' } })
  const body = (await response.json()) as { token: string }
  return body.token
}
