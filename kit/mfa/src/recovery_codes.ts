import { randomInt } from 'node:crypto'

/**
 * The letters of recovery codes: lower case and digits without those
 * that are easily confused when read from paper (0/o, 1/l/i).
 */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

/**
 * Characters per code (about 49 bits: guessing one is hopeless behind the
 * form throttle).
 */
const LENGTH = 10

/**
 * How many codes a user gets.
 */
export const RECOVERY_CODE_COUNT = 10

/**
 * New recovery codes, formatted "xxxxx-xxxxx". Show them once; store only
 * their hashes.
 */
export function generateRecoveryCodes(count: number = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)])
    return `${chars.slice(0, LENGTH / 2).join('')}-${chars.slice(LENGTH / 2).join('')}`
  })
}

/**
 * A recovery code as typed (any case, with or without its dash or
 * spaces) in the form it was generated in, or null when it cannot be one.
 * Hash and compare only normalised codes.
 */
export function normalizeRecoveryCode(input: string): string | null {
  const chars = input.toLowerCase().replace(/[\s-]+/g, '')
  if (chars.length !== LENGTH || [...chars].some((char) => !ALPHABET.includes(char))) {
    return null
  }
  return `${chars.slice(0, LENGTH / 2)}-${chars.slice(LENGTH / 2)}`
}

/**
 * What checks a code against a stored hash: the app's hash service
 * (`hash.use()`), or anything with its `verify`.
 */
export type RecoveryCodeHasher = {
  make(value: string): Promise<string>
  verify(hashedValue: string, plainValue: string): Promise<boolean>
}

/**
 * The stored hashes of new codes, in their order.
 */
export function hashRecoveryCodes(hasher: RecoveryCodeHasher, codes: string[]): Promise<string[]> {
  return Promise.all(codes.map((code) => hasher.make(code)))
}

/**
 * The first of `stored` whose hash matches the typed code, or null. Every
 * hash is checked, whether or not one matched earlier, so the time taken
 * does not say which code it was. The caller then spends that row in one
 * conditional DELETE (only one of parallel requests may succeed).
 */
export async function findRecoveryCode<T extends { codeHash: string }>(
  hasher: RecoveryCodeHasher,
  stored: T[],
  input: string
): Promise<T | null> {
  const code = normalizeRecoveryCode(input)
  if (code === null) {
    return null
  }
  const matches = await Promise.all(stored.map((row) => hasher.verify(row.codeHash, code)))
  const index = matches.indexOf(true)
  return index === -1 ? null : stored[index]
}
