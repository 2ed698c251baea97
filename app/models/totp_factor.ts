import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import encryption from '@adonisjs/core/services/encryption'
import { TotpFactorSchema } from '#database/schema'
import { generateTotpSecret } from '#kit/mfa'
import type User from '#models/user'

/**
 * The purpose the secrets are encrypted for: a value encrypted for
 * another purpose (a cookie, say) does not decrypt as a secret.
 */
const SECRET_PURPOSE = 'totp_secret'

/**
 * A user's authenticator app (TOTP, RFC 6238). The secret is stored
 * encrypted with the app's encryption service; the factor counts once
 * `confirmedAt` is set (the user typed a first code). `lastUsedStep` is
 * the time step of the last accepted code: codes of that step or earlier
 * are refused, so a code works once.
 */
export default class TotpFactor extends TotpFactorSchema {
  static table = 'totp_factors'

  /**
   * A bigint column: PostgreSQL's driver gives it as a string. Steps fit
   * a number (about 59 million in 2026).
   */
  @column({ consume: (value) => (value === null ? null : Number(value)) })
  declare lastUsedStep: number | null

  /**
   * The user's confirmed factor, if any.
   */
  static confirmedOf(user: User) {
    return this.query().where('user_id', user.id).whereNotNull('confirmed_at').first()
  }

  /**
   * The factor being set up: the unconfirmed one kept from an earlier
   * visit of the enrolment page (so that a reload shows the same QR code),
   * or a new one with a new secret. Null when the user has a confirmed
   * factor already.
   */
  static async pendingFor(user: User): Promise<TotpFactor | null> {
    const existing = await this.findBy('userId', user.id)
    if (existing) {
      return existing.confirmedAt ? null : existing
    }
    return this.create({
      userId: user.id,
      secret: encryption.encrypt(generateTotpSecret(), undefined, SECRET_PURPOSE),
    })
  }

  /**
   * The secret (base32). Throws when it does not decrypt (the app key
   * changed without the old one kept in config/encryption.ts).
   */
  decryptedSecret(): string {
    const secret = encryption.decrypt<string>(this.secret, SECRET_PURPOSE)
    if (typeof secret !== 'string') {
      throw new Error(`The TOTP secret of user ${this.userId} does not decrypt`)
    }
    return secret
  }

  /**
   * Records that a code of `step` was accepted, in one conditional
   * UPDATE: when two requests bring codes of the same step at once, the
   * database runs them one after the other and only the first changes a
   * row. False means the step (or a later one) was used already: refuse
   * the code. `confirm` also switches the factor on.
   */
  async useStep(step: number, options: { confirm?: boolean } = {}): Promise<boolean> {
    const now = DateTime.now()
    const query = TotpFactor.query()
      .where('id', this.id)
      .where((unused) => unused.whereNull('last_used_step').orWhere('last_used_step', '<', step))
    const at = now.toFormat(query.client.dialect.dateTimeFormat)
    if (options.confirm) {
      query.whereNull('confirmed_at')
    }
    const updated = await query.update({
      last_used_step: step,
      last_used_at: at,
      ...(options.confirm ? { confirmed_at: at } : {}),
    })
    if (Number(Array.isArray(updated) ? updated[0] : updated) !== 1) {
      return false
    }
    this.lastUsedStep = step
    this.lastUsedAt = now
    if (options.confirm) {
      this.confirmedAt = now
    }
    this.$hydrateOriginals()
    return true
  }
}
