import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import { compose } from '@adonisjs/core/helpers'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { beforeSave } from '@adonisjs/lucid/orm'
import { UserSchema } from '#database/schema'
import { normalizeEmail } from '#validators/account_email'
import TotpFactor from '#models/totp_factor'
import RecoveryCode from '#models/recovery_code'
import WebauthnCredential from '#models/webauthn_credential'
import { verifyTotp } from '#kit/mfa'

/**
 * The kinds of second factor a user can give at the challenge: a code of
 * the authenticator app, a recovery code (made with the app), a passkey.
 */
export type SecondFactor = 'totp' | 'recovery_code' | 'passkey'

/**
 * Finds users by email and verifies passwords in constant time. The
 * password is hashed with the default hasher whenever it changes.
 */
const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

/**
 * The roles a user can have.
 */
export type UserRole = 'user' | 'admin'

/**
 * A person who can sign in. The columns come from `UserSchema` in
 * "database/schema.ts", which "node ace migration:run" writes from the
 * database: id, fullName, email, password (a hash, never serialized),
 * role, emailVerifiedAt (null until the address is confirmed), createdAt
 * and updatedAt. Columns declared here narrow the generated ones.
 *
 * Emails are stored and looked up trimmed, in lower case and in Unicode
 * NFC (`normalizeEmail`); the database refuses two that differ only by
 * case (a unique index on lower(email)).
 */
const UserBase = compose(UserSchema, AuthFinder)

/**
 * The classes `findForAuth` of the auth mixin accepts as `this`.
 */
type AuthFinderClass = ThisParameterType<(typeof UserBase)['findForAuth']>

export default class User extends UserBase {
  declare role: UserRole

  /**
   * Stores the email trimmed, in lower case and in NFC.
   */
  @beforeSave()
  static normalizeEmail(user: User) {
    if (user.$dirty.email) {
      user.email = normalizeEmail(user.email)
    }
  }

  /**
   * Finds the user of a sign-in by the normalised email, whatever case or
   * spaces were typed.
   */
  static findForAuth<T extends AuthFinderClass>(this: T, uids: string[], value: string) {
    return super.findForAuth(uids, normalizeEmail(value)) as Promise<InstanceType<T> | null>
  }

  /**
   * What the JSON API says of the user (`GET /api/me`, a JSON sign-in):
   * the fields listed here, never the whole row.
   */
  profile() {
    return { id: this.id, email: this.email, role: this.role }
  }

  /**
   * The second factors the user has on: a confirmed authenticator app
   * (with its recovery codes) and passkeys. What the `mfa` claim asks for.
   */
  async secondFactors(): Promise<SecondFactor[]> {
    const [totp, passkey] = await Promise.all([
      TotpFactor.confirmedOf(this),
      WebauthnCredential.existsFor(this),
    ])
    return [
      ...(totp ? (['totp', 'recovery_code'] as const) : []),
      ...(passkey ? (['passkey'] as const) : []),
    ]
  }

  /**
   * Whether the user has a second factor on.
   */
  async hasSecondFactor(): Promise<boolean> {
    const factors = await this.secondFactors()
    return factors.length > 0
  }

  /**
   * Checks a second-factor code of the user: six digits are a code of the
   * authenticator app (±1 time step, each step accepted once), anything
   * else a recovery code (spent). Returns the method it proved, or null
   * when the code is not valid (or the user has no app).
   */
  async spendSecondFactorCode(code: string): Promise<'totp' | 'recovery_code' | null> {
    if (/^[\d\s]+$/.test(code)) {
      const factor = await TotpFactor.confirmedOf(this)
      const result = factor
        ? verifyTotp({
            secret: factor.decryptedSecret(),
            code,
            now: Date.now(),
            lastUsedStep: factor.lastUsedStep,
          })
        : null
      return factor && result?.ok && (await factor.useStep(result.step)) ? 'totp' : null
    }
    return (await RecoveryCode.spend(this, code)) ? 'recovery_code' : null
  }

  /**
   * Removes the user's second factors, in one transaction: the
   * authenticator app and every recovery code. Returns what was removed.
   */
  async removeSecondFactors(): Promise<{ totp: boolean; recoveryCodes: number }> {
    return db.transaction(async (trx) => {
      const totp = await trx.from('totp_factors').where('user_id', this.id).delete()
      const codes = await trx.from('recovery_codes').where('user_id', this.id).delete()
      return { totp: Number(totp) > 0, recoveryCodes: Number(codes) }
    })
  }
}
