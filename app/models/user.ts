import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'

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
 * A person who can sign in.
 */
export default class User extends compose(BaseModel, AuthFinder) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare fullName: string | null

  @column()
  declare email: string

  /**
   * The password hash (never the password). Never serialized.
   */
  @column({ serializeAs: null })
  declare password: string

  @column()
  declare role: UserRole

  /**
   * When the user confirmed their email address; null until then.
   */
  @column.dateTime()
  declare emailVerifiedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime | null
}
