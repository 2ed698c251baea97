import type User from '#models/user'
import { Claim } from '#kit/sessions'

/**
 * The roles of the user (a list, so a user could hold several). Checked
 * again at most every minute.
 */
class RoleClaim extends Claim<string[], User> {
  constructor() {
    super('role', (user) => [user.role], 60_000)
  }

  /**
   * Requires the user to have `role`. The reasons are those of
   * SuperTokens' `PrimitiveArrayClaim.validators.includes`: "wrong value"
   * with the roles the user has, "value does not exist" when no list was
   * fetched.
   */
  includes(role: string) {
    return this.validator(`the "${role}" role`, (value) => {
      if (!Array.isArray(value)) {
        return { message: 'value does not exist', expectedToInclude: role }
      }
      return value.includes(role)
        ? null
        : { message: 'wrong value', expectedToInclude: role, actualValue: value }
    })
  }
}

export const role = new RoleClaim()
