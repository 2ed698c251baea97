import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import { PasswordResetTokenSchema } from '#database/schema'
import type User from '#models/user'

/**
 * How long a password reset link works.
 */
export const PASSWORD_RESET_LIFETIME = { ms: 60 * 60_000, words: '1 hour' }

/**
 * What a reset token from a link turned out to be.
 */
export type ResetTokenLookup =
  { kind: 'valid'; record: PasswordResetToken } | { kind: 'expired' } | { kind: 'unknown' }

/**
 * A password reset token: single-use, expiring after an hour. The table
 * holds only the SHA-256 of the token; the token is in the mail alone.
 */
export default class PasswordResetToken extends PasswordResetTokenSchema {
  static table = 'password_reset_tokens'

  /**
   * Issues a new token for the user and returns it (the only time the
   * token itself exists outside the mail).
   */
  static async issue(user: User, now: Date = new Date()): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    await this.create({
      userId: user.id,
      tokenHash: hashResetToken(token),
      expiresAt: DateTime.fromJSDate(now).plus({ milliseconds: PASSWORD_RESET_LIFETIME.ms }),
    })
    return token
  }

  /**
   * Looks a token from a link up. An expired one is deleted on the way.
   */
  static async lookup(token: string, now: Date = new Date()): Promise<ResetTokenLookup> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) {
      return { kind: 'unknown' }
    }
    const record = await this.findBy('tokenHash', hashResetToken(token))
    if (!record) {
      return { kind: 'unknown' }
    }
    if (record.expiresAt.toMillis() <= now.getTime()) {
      await record.delete()
      return { kind: 'expired' }
    }
    return { kind: 'valid', record }
  }

  /**
   * Spends a token from a link, and with it every other token of its
   * user (a reset spends the older links too), in one DELETE. When
   * several requests spend one link (or two links of one user) at once,
   * the database runs their DELETEs one after the other: exactly one
   * removes rows and gets true; the others find nothing left and get
   * false, as a used link does. Expiry is checked by `lookup` first.
   */
  static async spend(token: string): Promise<boolean> {
    const owner = this.query().select('user_id').where('token_hash', hashResetToken(token))
    const [deleted] = await this.query().whereIn('user_id', owner).delete()
    return Number(deleted) > 0
  }
}

/**
 * The SHA-256 (hex) of a reset token, as stored.
 */
export function hashResetToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
