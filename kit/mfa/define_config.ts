import { isIP } from 'node:net'
import string from '@adonisjs/core/helpers/string'

/**
 * The settings of passkeys (WebAuthn), in "config/mfa.ts".
 */
export type PasskeysConfig = {
  /**
   * The name browsers show when a passkey is made ("Starter kit").
   */
  rpName: string
  /**
   * The origin browsers reach the app at ("https://app.example.com"):
   * the `origin` every passkey response must carry. Undefined: the
   * request's own origin, allowed only with `originFromRequest`.
   */
  origin?: string
  /**
   * The relying party id passkeys are bound to: the origin's host name
   * or a registrable suffix of it ("example.com" for
   * "https://app.example.com"). Default: the origin's host name. A
   * passkey made for one id never works for another.
   */
  rpId?: string
  /**
   * true (development and tests): without an `origin`, take the one the
   * request was sent to (its Host header). Never in production, where a
   * client chooses that header.
   */
  originFromRequest?: boolean
  /**
   * How long a challenge (the random value a passkey signs) can be used
   * after the options that carry it were made ('5m'). Browsers get it as
   * the ceremony's timeout.
   */
  challengeLifetime?: string | number
}

/**
 * The relying party a ceremony uses: its id and name, and the origin the
 * response must come from.
 */
export type RelyingParty = { id: string; name: string; origin: string }

/**
 * What `relyingPartyFor` reads from the request (Adonis's `HttpRequest`).
 */
export type RequestOrigin = { protocol(): string; host(): string | null; hostname(): string | null }

/**
 * The resolved settings.
 */
export type ResolvedPasskeysConfig = {
  rpName: string
  origin?: string
  rpId?: string
  originFromRequest: boolean
  challengeLifetimeMs: number
}

/**
 * The resolved settings of the `mfa` module.
 */
export type ResolvedMfaConfig = { passkeys: ResolvedPasskeysConfig }

/**
 * Whether `rpId` may be used by pages of `hostname`: the same name or a
 * parent domain of it (WebAuthn §5.1.4.1; the browser refuses any other).
 */
function rpIdFits(rpId: string, hostname: string) {
  return hostname === rpId || hostname.endsWith(`.${rpId}`)
}

/**
 * Validates and resolves the settings of the mfa module. Mistakes stop
 * the boot with a message saying what to fix.
 */
export function defineConfig(config: { passkeys: PasskeysConfig }): ResolvedMfaConfig {
  const { rpName, origin, rpId, originFromRequest = false } = config.passkeys
  if (!rpName.trim()) {
    throw new Error('passkeys.rpName is empty; browsers show it when a passkey is made')
  }
  let normalisedOrigin: string | undefined
  if (origin !== undefined) {
    let url: URL
    try {
      url = new URL(origin)
    } catch {
      throw new Error(`passkeys.origin "${origin}" is not a URL (WEBAUTHN_ORIGIN or APP_URL)`)
    }
    normalisedOrigin = url.origin
    const id = rpId ?? url.hostname
    if (!rpIdFits(id, url.hostname)) {
      throw new Error(
        `passkeys.rpId "${id}" is neither the host of ${url.origin} nor a parent domain of it ` +
          '(WEBAUTHN_RP_ID): browsers would refuse every passkey'
      )
    }
  } else if (!originFromRequest) {
    throw new Error('passkeys.origin is not set: set APP_URL (or WEBAUTHN_ORIGIN)')
  }
  if (rpId !== undefined && (!rpId || isIP(rpId) !== 0)) {
    throw new Error(`passkeys.rpId "${rpId}" must be a domain name, not an IP address`)
  }
  let challengeLifetimeMs = Number.NaN
  try {
    challengeLifetimeMs = string.milliseconds.parse(config.passkeys.challengeLifetime ?? '5m')
  } catch {}
  if (!Number.isFinite(challengeLifetimeMs) || challengeLifetimeMs <= 0) {
    throw new Error('passkeys.challengeLifetime must be a positive duration ("5m")')
  }
  return {
    passkeys: {
      rpName,
      origin: normalisedOrigin,
      rpId,
      originFromRequest,
      challengeLifetimeMs,
    },
  }
}

/**
 * The relying party of a ceremony: the configured origin, or (when
 * allowed) the one the request came to; the configured id, or the
 * origin's host name.
 */
export function relyingPartyFor(
  config: ResolvedPasskeysConfig,
  request: RequestOrigin
): RelyingParty {
  const origin = config.origin ?? `${request.protocol()}://${request.host() ?? 'localhost'}`
  return {
    id: config.rpId ?? new URL(origin).hostname,
    name: config.rpName,
    origin,
  }
}
