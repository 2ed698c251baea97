import { randomBytes } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'

/**
 * The HMAC of a TOTP (RFC 6238 §1.2): SHA-1 is what authenticator apps
 * expect; SHA-256 and SHA-512 are allowed by the RFC.
 */
export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512'

/**
 * How codes are made: the algorithm, the number of digits and the time
 * step in seconds. The defaults (SHA-1, 6 digits, 30 s) are the ones
 * every authenticator app reads from a QR code.
 */
export type TotpParameters = {
  algorithm?: TotpAlgorithm
  digits?: number
  period?: number
}

/**
 * A code to check against a secret.
 */
export type TotpCheck = TotpParameters & {
  /**
   * The secret: raw bytes, or base32 as authenticator apps show it.
   */
  secret: Uint8Array | string
  /**
   * What the user typed (spaces are ignored).
   */
  code: string
  /**
   * The time to check against, in milliseconds (the server's clock).
   */
  now: number
  /**
   * Steps accepted on each side of the current one, for clocks that
   * drift and codes typed as the step ends (RFC 6238 §5.2). Default 1.
   */
  window?: number
  /**
   * The step of the last code this secret accepted (null when none):
   * a code of that step or an earlier one is refused, so that a code
   * seen over a shoulder or in a log cannot be used again (RFC 6238
   * §5.2: the verifier MUST NOT accept a second attempt of an OTP).
   */
  lastUsedStep: number | null
}

/**
 * Why a code was refused: it matches no step of the window, or it
 * matches one that was already used.
 */
export type TotpResult = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'replayed' }

const DEFAULTS = { algorithm: 'SHA1', digits: 6, period: 30 } as const

/**
 * The time step `now` falls in (RFC 6238 §4.2: T = floor(now / X)).
 */
export function totpStep(now: number, period: number = DEFAULTS.period): number {
  return TOTP.counter({ period, timestamp: now })
}

/**
 * Checks a code. On success returns the step it matched: the caller
 * stores it as the new `lastUsedStep` atomically (a conditional UPDATE:
 * of two requests with the same code, only one may win).
 */
export function verifyTotp(check: TotpCheck): TotpResult {
  const { algorithm, digits, period } = { ...DEFAULTS, ...withoutUndefined(check) }
  const code = check.code.replace(/\s+/g, '')
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) {
    return { ok: false, reason: 'invalid' }
  }
  const delta = TOTP.validate({
    token: code,
    secret: secretOf(check.secret),
    algorithm,
    digits,
    period,
    timestamp: check.now,
    window: check.window ?? 1,
  })
  if (delta === null) {
    return { ok: false, reason: 'invalid' }
  }
  const step = totpStep(check.now, period) + delta
  if (check.lastUsedStep !== null && step <= check.lastUsedStep) {
    return { ok: false, reason: 'replayed' }
  }
  return { ok: true, step }
}

/**
 * The code of a secret at a time (for tests and for showing what a
 * correct code looks like; never sent to a client).
 */
export function totpCode(
  secret: Uint8Array | string,
  now: number,
  parameters: TotpParameters = {}
): string {
  return TOTP.generate({
    secret: secretOf(secret),
    ...DEFAULTS,
    ...withoutUndefined(parameters),
    timestamp: now,
  })
}

/**
 * A new secret: 20 random bytes (160 bits, the HMAC-SHA-1 key length RFC
 * 4226 recommends), in base32 as authenticator apps take it.
 */
export function generateTotpSecret(): string {
  return new Secret({ buffer: new Uint8Array(randomBytes(20)).buffer }).base32
}

/**
 * The `otpauth://totp/...` URI an authenticator app reads from the QR
 * code: the issuer (the app's name) and the account (an email).
 */
export function totpUri(
  options: TotpParameters & { secret: string; issuer: string; account: string }
) {
  return new TOTP({
    issuer: options.issuer,
    label: options.account,
    secret: Secret.fromBase32(options.secret),
    ...DEFAULTS,
    ...withoutUndefined({
      algorithm: options.algorithm,
      digits: options.digits,
      period: options.period,
    }),
  }).toString()
}

/**
 * The QR code of a URI as an SVG element to put in a page: rendered on
 * the server, so that the page needs no script, and drawn with
 * presentation attributes (fill, stroke), which the Content Security
 * Policy's style-src does not govern. The `<svg>` gets a role and a
 * label; `<?xml ...?>` prologues are dropped (invalid inside HTML).
 */
export async function totpQrSvg(uri: string, label = 'QR code of the secret'): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return svg
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace('<svg ', `<svg role="img" aria-label="${escapeAttribute(label)}" `)
    .trim()
}

function secretOf(secret: Uint8Array | string): Secret {
  if (typeof secret === 'string') {
    return Secret.fromBase32(secret)
  }
  const bytes = new Uint8Array(secret)
  return new Secret({ buffer: bytes.buffer })
}

function withoutUndefined<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined)
  ) as Partial<T>
}

function escapeAttribute(value: string) {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
}
