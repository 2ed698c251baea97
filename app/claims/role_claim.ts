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
   * Requires the user to have `role`.
   */
  includes(role: string) {
    return this.validator(`the "${role}" role`, (value) =>
      Array.isArray(value) && value.includes(role)
        ? null
        : { message: 'expected to include', expectedToInclude: role, actualValue: value ?? [] }
    )
  }
}

export const role = new RoleClaim()
