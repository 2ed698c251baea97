import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import { column } from '@adonisjs/lucid/orm'
import { isUniqueViolation } from '#kit/errors/exceptions'
import type { Logger } from '@adonisjs/core/logger'
import {
  PasskeyRejectedException,
  verifyPasskeyAuthentication,
  type NewPasskey,
  type PasskeyUse,
  type RelyingParty,
  type StoredPasskey,
} from '#kit/mfa'
import { WebauthnCredentialSchema } from '#database/schema'
import type User from '#models/user'

/**
 * The longest name a passkey may have (the column's size).
 */
export const PASSKEY_NAME_MAX_LENGTH = 64

/**
 * A user's passkey (a WebAuthn credential): a second factor, and a way
 * to sign in without the password. Only public material is stored (the
 * credential id and public key); `counter` is the last signature counter
 * seen, `lastChallengeHash` the SHA-256 of the last challenge it signed.
 */
export default class WebauthnCredential extends WebauthnCredentialSchema {
  static table = 'webauthn_credentials'

  /**
   * A bigint column (signature counters are 32-bit unsigned):
   * PostgreSQL's driver gives it as a string.
   */
  @column({ consume: (value) => Number(value) })
  declare counter: number

  /**
   * SQLite gives booleans as 0 and 1.
   */
  @column({ consume: (value) => Boolean(value) })
  declare backupEligible: boolean

  @column({ consume: (value) => Boolean(value) })
  declare backedUp: boolean

  /**
   * The user's passkeys, oldest first.
   */
  static ofUser(user: User) {
    return this.query().where('user_id', user.id).orderBy('id', 'asc')
  }

  /**
   * Whether the user has at least one passkey.
   */
  static async existsFor(user: User): Promise<boolean> {
    return (await this.query().where('user_id', user.id).select('id').first()) !== null
  }

  /**
   * The passkey of that credential id, of anyone (a sign-in without an
   * email) or of `user` only (a second factor).
   */
  static findByCredentialId(credentialId: string, user?: User) {
    const query = this.query().where('credential_id', credentialId)
    if (user) {
      query.where('user_id', user.id)
    }
    return query.first()
  }

  /**
   * Stores a passkey that passed its registration. The same credential
   * twice (a response posted again) is refused: E_PASSKEY_REJECTED,
   * reason `duplicate` (the unique index decides between parallel posts).
   */
  static async register(user: User, passkey: NewPasskey, name: string) {
    try {
      return await this.create({
        userId: user.id,
        credentialId: passkey.credentialId,
        publicKey: passkey.publicKey,
        counter: passkey.counter,
        transports: JSON.stringify(passkey.transports),
        name,
        aaguid: passkey.aaguid,
        backupEligible: passkey.backupEligible,
        backedUp: passkey.backedUp,
      })
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new PasskeyRejectedException('duplicate', { cause: error })
      }
      throw error
    }
  }

  /**
   * The passkey as the kit's verification reads it.
   */
  toStoredPasskey(): StoredPasskey {
    return {
      credentialId: this.credentialId,
      publicKey: this.publicKey,
      counter: this.counter,
      transports: this.transportList(),
    }
  }

  /**
   * The transports the browser reported (stored as a JSON array): hints
   * for the next ceremony, nothing is decided on them.
   */
  transportList(): string[] {
    try {
      const parsed: unknown = JSON.parse(this.transports)
      return Array.isArray(parsed) ? parsed.filter((item) => typeof item === 'string') : []
    } catch {
      return []
    }
  }

  /**
   * Checks an authentication response of this passkey (challenge, origin,
   * relying party id, signature, user verification, the counter rule)
   * and records the use. Throws E_PASSKEY_REJECTED when any of it fails;
   * a genuine signature whose counter did not increase (a cloned
   * authenticator) is logged as a warning, `mfa.passkey_counter_regression`.
   */
  async verifyUse(input: {
    rp: RelyingParty
    response: unknown
    challenge: string
    logger: Logger
  }): Promise<void> {
    let use: PasskeyUse
    try {
      use = await verifyPasskeyAuthentication({
        rp: input.rp,
        response: input.response,
        expectedChallenge: input.challenge,
        passkey: this.toStoredPasskey(),
      })
    } catch (error) {
      if (error instanceof PasskeyRejectedException && error.reason === 'counter') {
        input.logger.warn(
          { event: 'mfa.passkey_counter_regression', userId: this.userId, passkeyId: this.id },
          'passkey signature counter did not increase: a cloned authenticator?'
        )
      }
      throw error
    }
    if (!(await this.recordUse(use, input.challenge))) {
      throw new PasskeyRejectedException('counter')
    }
  }

  /**
   * Records a verified use, in one conditional UPDATE: the new counter
   * must still follow the counter rule against the row (it increases,
   * or both are 0), and the challenge must not be the last one this
   * passkey signed. When parallel requests bring one response, the
   * database runs their UPDATEs one after the other and only the first
   * changes the row. False means the response was used already: refuse it.
   */
  async recordUse(use: PasskeyUse, challenge: string): Promise<boolean> {
    const now = DateTime.now()
    const challengeHash = createHash('sha256').update(challenge).digest('base64url')
    const query = WebauthnCredential.query()
      .where('id', this.id)
      .where((fresh) =>
        fresh.whereNull('last_challenge_hash').orWhereNot('last_challenge_hash', challengeHash)
      )
      .where((advancing) =>
        use.counter === 0
          ? advancing.where('counter', 0)
          : advancing.where('counter', '<', use.counter)
      )
    const updated = await query.update({
      counter: use.counter,
      backed_up: use.backedUp,
      last_challenge_hash: challengeHash,
      last_used_at: now.toFormat(query.client.dialect.dateTimeFormat),
    })
    if (Number(Array.isArray(updated) ? updated[0] : updated) !== 1) {
      return false
    }
    this.counter = use.counter
    this.backedUp = use.backedUp
    this.lastChallengeHash = challengeHash
    this.lastUsedAt = now
    this.$hydrateOriginals()
    return true
  }
}
