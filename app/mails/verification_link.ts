import { createHash } from 'node:crypto'
import router from '@adonisjs/core/services/router'
import type User from '#models/user'

/**
 * How long an email verification link works.
 */
export const VERIFICATION_LINK_LIFETIME = { expiresIn: '24h', words: '24 hours' }

/**
 * The purpose the link's signature is bound to (a signed URL of another
 * route or purpose does not pass).
 */
export const VERIFICATION_PURPOSE = 'verify-email'

/**
 * A short fingerprint of an email address, carried in the link: the link
 * verifies that address only.
 */
export function emailFingerprint(email: string): string {
  return createHash('sha256').update(email.toLowerCase()).digest('base64url').slice(0, 16)
}

/**
 * The signed, expiring link that verifies the user's current address,
 * starting with `baseUrl` (APP_URL).
 */
export function verificationLink(user: User, baseUrl: string): string {
  return router.makeSignedUrl(
    'email_verification.verify',
    { id: user.id },
    {
      expiresIn: VERIFICATION_LINK_LIFETIME.expiresIn,
      purpose: VERIFICATION_PURPOSE,
      qs: { email: emailFingerprint(user.email) },
      prefixUrl: baseUrl,
    }
  )
}
