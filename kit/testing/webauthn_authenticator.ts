import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'

/**
 * The values a tiny CBOR encoder needs for WebAuthn: integers, byte
 * strings, text strings and maps of them (RFC 8949).
 */
type CborValue = number | string | Uint8Array | Map<number | string, CborValue>

/**
 * The head of a CBOR item: major type and argument.
 */
function cborHead(major: number, argument: number): Buffer {
  if (argument < 24) return Buffer.from([(major << 5) | argument])
  if (argument < 0x100) return Buffer.from([(major << 5) | 24, argument])
  if (argument < 0x10000) {
    const head = Buffer.alloc(3)
    head[0] = (major << 5) | 25
    head.writeUInt16BE(argument, 1)
    return head
  }
  const head = Buffer.alloc(5)
  head[0] = (major << 5) | 26
  head.writeUInt32BE(argument, 1)
  return head
}

/**
 * Encodes a value in CBOR (canonical enough for the verifier: map keys in
 * the order given).
 */
export function cborEncode(value: CborValue): Buffer {
  if (typeof value === 'number') {
    return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value)
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8')
    return Buffer.concat([cborHead(3, bytes.length), bytes])
  }
  if (value instanceof Uint8Array) {
    return Buffer.concat([cborHead(2, value.length), value])
  }
  const parts: Buffer[] = [cborHead(5, value.size)]
  for (const [key, item] of value) {
    parts.push(cborEncode(key), cborEncode(item))
  }
  return Buffer.concat(parts)
}

/**
 * Authenticator data flags (WebAuthn §6.1).
 */
const FLAGS = { up: 0x01, uv: 0x04, be: 0x08, bs: 0x10, at: 0x40 }

/**
 * What the authenticator puts in its response, for tests that break one
 * thing at a time.
 */
export type CeremonyOverrides = {
  /**
   * The origin in clientDataJSON (default: the authenticator's).
   */
  origin?: string
  /**
   * The relying party id whose hash starts the authenticator data
   * (default: the authenticator's).
   */
  rpId?: string
  /**
   * The challenge signed (default: the options').
   */
  challenge?: string
  /**
   * Whether the user was verified (default true).
   */
  userVerified?: boolean
  /**
   * The signature counter to send (default: one more than the last).
   */
  counter?: number
  /**
   * clientDataJSON `type` (default 'webauthn.create' / 'webauthn.get').
   */
  type?: string
}

/**
 * A discoverable passkey the authenticator holds.
 */
export type SoftwarePasskey = {
  credentialId: Buffer
  privateKey: KeyObject
  publicKey: KeyObject
  userHandle: string
  counter: number
}

/**
 * A software WebAuthn authenticator for tests: makes ES256 (P-256)
 * passkeys with node:crypto and answers registration (attestation
 * "none") and authentication ceremonies as a browser would pass them to
 * the server (the JSON of `PublicKeyCredential.toJSON()`). Built by hand
 * from WebAuthn §6 (authenticator data, attested credential data, COSE
 * keys) so that the server's checks are tested without a browser.
 */
export class SoftwareAuthenticator {
  readonly passkeys: SoftwarePasskey[] = []

  constructor(
    readonly origin: string,
    readonly rpId = new URL(origin).hostname,
    /**
     * true: the counter goes up with each use; false: it stays 0 (as
     * with synced passkeys).
     */
    readonly keepsCounter = true
  ) {}

  /**
   * The response to registration options (`navigator.credentials.create`):
   * a new passkey for `options.user.id`, kept for later ceremonies.
   */
  register(
    options: { challenge: string; user: { id: string }; rp?: { id?: string } },
    overrides: CeremonyOverrides = {}
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const passkey: SoftwarePasskey = {
      credentialId: randomBytes(16),
      privateKey,
      publicKey,
      userHandle: options.user.id,
      counter: 0,
    }
    const jwk = publicKey.export({ format: 'jwk' })
    const coseKey = cborEncode(
      new Map<number, CborValue>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ])
    )
    const idLength = Buffer.alloc(2)
    idLength.writeUInt16BE(passkey.credentialId.length)
    const attested = Buffer.concat([Buffer.alloc(16), idLength, passkey.credentialId, coseKey])
    const authData = this.#authenticatorData(overrides, FLAGS.at, 0, attested)
    const clientDataJSON = this.#clientData('webauthn.create', options.challenge, overrides)
    const attestationObject = cborEncode(
      new Map<string, CborValue>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ])
    )
    this.passkeys.push(passkey)
    const id = passkey.credentialId.toString('base64url')
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        attestationObject: attestationObject.toString('base64url'),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    }
  }

  /**
   * The response to authentication options (`navigator.credentials.get`)
   * with `passkey` (default: the last one made), signed with its key.
   */
  authenticate(
    options: { challenge: string },
    overrides: CeremonyOverrides = {},
    passkey = this.passkeys.at(-1)
  ) {
    if (!passkey) {
      throw new Error('The authenticator holds no passkey')
    }
    const counter = overrides.counter ?? (this.keepsCounter ? passkey.counter + 1 : passkey.counter)
    passkey.counter = Math.max(passkey.counter, counter)
    const authData = this.#authenticatorData(overrides, 0, counter)
    const clientDataJSON = this.#clientData('webauthn.get', options.challenge, overrides)
    const signature = sign(
      'sha256',
      Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]),
      passkey.privateKey
    )
    const id = passkey.credentialId.toString('base64url')
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        userHandle: passkey.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    }
  }

  /**
   * rpIdHash, flags, counter, then the attested credential data.
   */
  #authenticatorData(
    overrides: CeremonyOverrides,
    extraFlags: number,
    counter: number,
    attested: Buffer = Buffer.alloc(0)
  ) {
    const rpIdHash = createHash('sha256')
      .update(overrides.rpId ?? this.rpId)
      .digest()
    const flags =
      FLAGS.up |
      (overrides.userVerified === false ? 0 : FLAGS.uv) |
      FLAGS.be |
      FLAGS.bs |
      extraFlags
    const counterBytes = Buffer.alloc(4)
    counterBytes.writeUInt32BE(counter)
    return Buffer.concat([rpIdHash, Buffer.from([flags]), counterBytes, attested])
  }

  /**
   * clientDataJSON as a browser writes it.
   */
  #clientData(type: string, challenge: string, overrides: CeremonyOverrides) {
    return Buffer.from(
      JSON.stringify({
        type: overrides.type ?? type,
        challenge: overrides.challenge ?? challenge,
        origin: overrides.origin ?? this.origin,
        crossOrigin: false,
      })
    )
  }
}
