import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { UserSchema } from '#database/schema'

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
 */
export default class User extends compose(UserSchema, AuthFinder) {
  declare role: UserRole
}
