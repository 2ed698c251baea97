import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import { RecoveryCodeSchema } from '#database/schema'
import { findRecoveryCode, generateRecoveryCodes, hashRecoveryCodes } from '#kit/mfa'
import type User from '#models/user'

/**
 * A recovery code: single-use, standing in for the authenticator app.
 * Only its hash (the hash service) is stored; the codes themselves are
 * shown once, when they are made.
 */
export default class RecoveryCode extends RecoveryCodeSchema {
  static table = 'recovery_codes'

  /**
   * Replaces the user's codes with ten new ones and returns them (the
   * only time they exist outside the user's hands). The old codes stop
   * working in the same transaction.
   */
  static async replaceFor(user: User): Promise<string[]> {
    const codes = generateRecoveryCodes()
    const hashes = await hashRecoveryCodes(hash.use(), codes)
    await db.transaction(async (trx) => {
      await this.query({ client: trx }).where('user_id', user.id).delete()
      await this.createMany(
        hashes.map((codeHash) => ({ userId: user.id, codeHash })),
        { client: trx }
      )
    })
    return codes
  }

  /**
   * How many unused codes the user has left.
   */
  static async countFor(user: User): Promise<number> {
    const [row] = await this.query().where('user_id', user.id).count('* as total')
    return Number(row.$extras.total)
  }

  /**
   * Spends the code the user typed: true when it was one of theirs and
   * unused. The matching row is deleted in one DELETE; when parallel
   * requests bring the same code, the database runs their DELETEs one
   * after the other and only the first removes the row (the others get
   * false, as for a used code).
   */
  static async spend(user: User, input: string): Promise<boolean> {
    const rows = await this.query().where('user_id', user.id)
    const match = await findRecoveryCode(hash.use(), rows, input)
    if (!match) {
      return false
    }
    const deleted = await this.query().where('id', match.id).delete()
    return Number(Array.isArray(deleted) ? deleted[0] : deleted) === 1
  }
}
