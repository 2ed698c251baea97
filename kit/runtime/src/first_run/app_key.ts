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
      `Missing environment variable "${key}". Make one with "node ace generate:key", which ` +
        `writes it to .env (in production it prints the key: set ${key} to it in the environment)`
    )
  }

  if (value.length < MIN_APP_KEY_LENGTH) {
    throw new Error(
      `"${key}" is ${value.length} characters long; it must be at least ${MIN_APP_KEY_LENGTH}. ` +
        `Make a new one with "node ace generate:key" and replace the current value`
    )
  }

  const weakness = process.env.NODE_ENV === 'production' ? appKeyWeakness(value) : undefined
  if (weakness) {
    throw new Error(
      `"${key}" is too easy to guess (${weakness}). Make a random one with ` +
        `"node ace generate:key" (or "openssl rand -base64 32") and replace the current value`
    )
  }

  return value
}

/**
 * The least estimated randomness, in bits, of a key the kit accepts in
 * production. Keys from "node ace generate:key", "openssl rand -base64 32"
 * or "openssl rand -hex 32" are well above it.
 */
export const MIN_APP_KEY_BITS = 128

/**
 * Words a hand-made key is built from. Each one found counts as a few bits
 * (a guess from a short list), not as its letters.
 */
const GUESSABLE_WORDS = [
  'changeme',
  'change',
  'password',
  'passwd',
  'secret',
  'example',
  'default',
  'adonis',
  'appkey',
  'app',
  'key',
  'test',
  'admin',
  'qwerty',
  'letmein',
  'production',
  'development',
  'replace',
  'please',
  'dummy',
  'sample',
  'insecure',
  'super',
  'your',
  'here',
  'this',
  'foobar',
  'hello',
  'world',
  'abcdef',
  'abc',
  '123456',
  '123',
]

/**
 * Bits a guessable word adds to the estimate.
 */
const BITS_PER_WORD = 8

/**
 * Why `value` is too weak a key, or undefined when its estimated
 * randomness reaches MIN_APP_KEY_BITS. The estimate: a key that repeats a
 * shorter part counts as that part; guessable words (case-insensitive)
 * count BITS_PER_WORD each; the other characters count by how evenly they
 * spread over the characters used (Shannon entropy, corrected for short
 * samples). It only ever errs low for random keys of fewer than about 40
 * characters: use longer ones.
 */
export function appKeyWeakness(value: string): string | undefined {
  let rest = shortestPeriod(value)
  const repeated = rest.length < value.length
  let words = 0
  for (const word of GUESSABLE_WORDS) {
    const parts = rest.split(new RegExp(word, 'i'))
    words += parts.length - 1
    rest = parts.join('')
  }

  const bits = Math.floor(entropyPerCharacter(rest) * rest.length + words * BITS_PER_WORD)
  if (bits >= MIN_APP_KEY_BITS) {
    return undefined
  }
  const why = [
    repeated ? 'it repeats itself' : undefined,
    words ? 'it is made of common words' : undefined,
  ].filter(Boolean)
  return [...why, `about ${bits} bits of randomness, fewer than ${MIN_APP_KEY_BITS}`].join('; ')
}

/**
 * The shortest part that `value` is a repetition of ("abcabc": "abc").
 */
function shortestPeriod(value: string): string {
  for (let length = 1; length <= value.length / 2; length++) {
    if (
      value.length % length === 0 &&
      value.slice(0, length).repeat(value.length / length) === value
    ) {
      return value.slice(0, length)
    }
  }
  return value
}

/**
 * Shannon entropy of the characters of `text`, in bits per character,
 * with the Miller-Madow correction for a short sample.
 */
function entropyPerCharacter(text: string): number {
  if (!text) {
    return 0
  }
  const counts = new Map<string, number>()
  for (const character of text) {
    counts.set(character, (counts.get(character) ?? 0) + 1)
  }
  let bits = 0
  for (const count of counts.values()) {
    const share = count / text.length
    bits -= share * Math.log2(share)
  }
  return bits + (counts.size - 1) / (2 * text.length * Math.LN2)
}
