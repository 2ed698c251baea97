import { randomBytes } from 'node:crypto'

/**
 * The shortest APP_KEY the kit accepts. Cookies are signed and values
 * encrypted with it, so a short key is refused rather than used.
 */
export const MIN_APP_KEY_LENGTH = 32

/**
 * Returns a new random APP_KEY: 32 bytes from the CSPRNG, base64url
 * encoded (43 characters).
 */
export function generateAppKey(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * Env validator for APP_KEY. It explains how to fix a missing or short key
 * instead of the generic "missing environment variable" error.
 */
export function appKey(key: string, value?: string): string {
  if (!value) {
    throw new Error(
      `Missing environment variable "${key}". Generate one with "node ace generate:key --show" ` +
        `and set ${key} in the environment (or in .env) before starting the app`
    )
  }

  if (value.length < MIN_APP_KEY_LENGTH) {
    throw new Error(
      `"${key}" is ${value.length} characters long; it must be at least ${MIN_APP_KEY_LENGTH}. ` +
        `Generate a new one with "node ace generate:key --show" and replace the current value`
    )
  }

  return value
}
