import { DateTime } from 'luxon'
import { BaseSeeder } from '@adonisjs/lucid/seeders'
import User from '#models/user'

/**
 * The password of every demo user.
 */
export const DEMO_PASSWORD = 'password'

/**
 * The demo users, one per kind of account the kit's pages care about.
 */
export const DEMO_USERS = [
  { email: 'demo@example.com', role: 'user', verified: true },
  { email: 'admin@example.com', role: 'admin', verified: true },
  { email: 'unverified@example.com', role: 'user', verified: false },
] as const

/**
 * Creates the demo users (development and test only). Running it twice
 * changes nothing: users are matched by email.
 */
export default class DemoUsersSeeder extends BaseSeeder {
  static environment = ['development', 'test']

  async run() {
    const now = DateTime.now()

    await this.client.transaction(async (trx) => {
      for (const demo of DEMO_USERS) {
        const existing = await User.query({ client: trx }).where('email', demo.email).first()
        if (existing) {
          continue
        }

        await User.create(
          {
            email: demo.email,
            password: DEMO_PASSWORD,
            role: demo.role,
            emailVerifiedAt: demo.verified ? now : null,
          },
          { client: trx }
        )
      }
    })
  }
}
