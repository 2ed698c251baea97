import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { totpCode } from '#kit/mfa'
import type { Visitor } from '#kit/testing'
import User from '#models/user'

/**
 * The password of the users these tests create.
 */
export const MFA_PASSWORD = 'correct horse battery'

/**
 * A new user (verified email, role "user") with an address of its own,
 * so that tests running one after the other share nothing.
 */
export async function createUser(prefix = 'mfa') {
  const email = `${prefix}.${randomBytes(4).toString('hex')}@example.com`
  return User.create({
    email,
    password: MFA_PASSWORD,
    role: 'user',
    emailVerifiedAt: DateTime.now(),
  })
}

/**
 * The secret the enrolment page shows in text (grouped by four).
 */
export function secretOf(html: string): string {
  const match = html.match(/<code class="totp-secret">([A-Z2-7 ]+)<\/code>/)
  if (!match) {
    throw new Error(`No secret in the page:\n${html.slice(0, 500)}`)
  }
  return match[1].replace(/ /g, '')
}

/**
 * Sets an authenticator app up through the pages, as a browser: the
 * enrolment page, then its form with the current code. Returns the
 * secret and the answer to the form.
 */
export async function enrolTotp(visitor: Visitor) {
  const { html, token } = await visitor.form('/account/security/totp')
  const secret = secretOf(html)
  const response = await visitor.post('/account/security/totp', {
    _csrf: token,
    code: totpCode(secret, Date.now()),
  })
  return { secret, response, html: await response.text() }
}

/**
 * The user's authenticator app row, as stored.
 */
export function totpRowOf(user: User) {
  return db.from('totp_factors').where('user_id', user.id).first()
}

/**
 * A code of the secret that is wrong now (and within the window): the
 * current code with its last digit changed.
 */
export function wrongCode(secret: string): string {
  const near = [-1, 0, 1].map((offset) => totpCode(secret, Date.now() + offset * 30_000))
  for (let digit = 0; digit < 10; digit++) {
    const code = near[1].slice(0, 5) + digit
    if (!near.includes(code)) {
      return code
    }
  }
  throw new Error('unreachable')
}
