import { createHash, createHmac, randomBytes } from 'node:crypto'

/**
 * A new session token: 32 bytes (256 bits) from the CSPRNG, base64url
 * encoded. The token is what the session cookie carries.
 */
export function generateSessionToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * The form every token has. Anything else in the cookie is ignored
 * without a database lookup.
 */
export function isWellFormedToken(value: unknown): value is string {
  return typeof value === 'string' && /^[\w-]{43}$/.test(value)
}

/**
 * What the store keeps instead of the token: its SHA-256. A copy of the
 * sessions table does not hand out live sessions.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

/**
 * The token that replaces `token` when it rotates. It is derived with the
 * app key, so every request that rotates the same token at the same time
 * gets the same successor (one successor, no fork), and nobody without the
 * key can compute it.
 */
export function successorToken(token: string, key: string): string {
  return createHmac('sha256', key).update(`rotate:${token}`).digest('base64url')
}
