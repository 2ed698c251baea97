import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'
import encryption from '@adonisjs/core/services/encryption'
import { DateTime } from 'luxon'
import { generateTotpSecret } from '#kit/mfa'
import { DEMO_PASSWORD } from '#kit/testing/sign_in'
import User from '#models/user'
import TotpFactor from '#models/totp_factor'

/**
 * Routes that exist only when "npm run bench" starts the server (see
 * "kit/bench/server.ts"). The path prefix keeps them apart from the app's.
 */

/**
 * Route 8 of the bench: an unexpected error, answered with the 500 status
 * page and reported to the log (through the reporting throttle).
 */
router.get('/__bench__/boom', () => {
  throw new Error('bench: an unexpected failure')
})

/**
 * What the bench reads before and after the flood: the resident memory of
 * this process and the number of rows in the sessions table.
 */
router.get('/__bench__/stats', async () => {
  const [{ rows }] = await db.from('sessions').count('* as rows')
  return { rss: process.memoryUsage().rss, sessionRows: Number(rows) }
})

/**
 * Route 13 of the bench: `count` new users, each with an authenticator
 * app already on (the password of the demo users, a fresh secret), for
 * the bench to sign in and pass the challenge with. Answers their emails
 * and secrets. One user per connection: a code is accepted once per time
 * step and account, so two connections could not pass it with the same
 * account in the same 30 seconds.
 */
router.get('/__bench__/mfa-users', async ({ request }) => {
  const count = Math.min(Math.max(Number(request.input('count', 10)) || 10, 1), 100)
  const run = Date.now().toString(36)
  const users = []
  for (let index = 0; index < count; index++) {
    const user = await User.create({
      email: `bench-mfa-${run}-${index}@example.com`,
      password: DEMO_PASSWORD,
      emailVerifiedAt: DateTime.now(),
    })
    const secret = generateTotpSecret()
    await TotpFactor.create({
      userId: user.id,
      secret: encryption.encrypt(secret, undefined, 'totp_secret'),
      confirmedAt: DateTime.now(),
    })
    users.push({ email: user.email, secret })
  }
  return { users }
})
