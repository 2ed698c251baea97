import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server'
import type { RelyingParty } from '#kit/mfa/define_config'
import PasskeyRejectedException from '#kit/mfa/src/passkey_rejected_exception'

/**
 * The signature algorithms offered and accepted (COSE ids): EdDSA,
 * ES256 and RS256, which every authenticator supports one of. Named here
 * rather than left to the library's default, which probes the runtime for
 * post-quantum ones with an experimental Node API (and a warning on
 * stderr).
 */
export const PASSKEY_ALGORITHMS = [-8, -7, -257]

/**
 * A registered passkey as the app stores it: the credential id and the
 * COSE public key (both base64url), the last signature counter seen and
 * the transports the browser reported (hints for the next ceremony).
 */
export type StoredPasskey = {
  credentialId: string
  publicKey: string
  counter: number
  transports: string[]
}

/**
 * A passkey that passed its registration, to store.
 */
export type NewPasskey = StoredPasskey & {
  /**
   * true: the passkey may be synced to other devices (a password
   * manager, a platform account); false: it lives on one authenticator.
   */
  backupEligible: boolean
  /**
   * Whether it is backed up (synced) now.
   */
  backedUp: boolean
  /**
   * The authenticator's model (AAGUID), all zeros when it does not say.
   */
  aaguid: string
}

/**
 * What a passkey sign-in (or second factor) changes on the stored
 * passkey: its new counter and backup state.
 */
export type PasskeyUse = { counter: number; backedUp: boolean }

/**
 * The user a passkey is made for. `handle` is the WebAuthn user handle
 * (the authenticator keeps it with a discoverable passkey and gives it
 * back at sign-in): an opaque id, never personal information.
 */
export type PasskeyUser = { handle: string; name: string; displayName: string }

/**
 * The signature counter rule (WebAuthn §6.1.1): a counter must increase
 * with each use; an authenticator that keeps none sends 0 every time,
 * which is accepted only while the stored counter is 0 too. Anything
 * else means two copies of one authenticator are in use: refused.
 */
export function signCounterAdvances(stored: number, received: number): boolean {
  return received > stored || (received === 0 && stored === 0)
}

/**
 * The options of `navigator.credentials.create()` for adding a passkey:
 * a discoverable credential (so that it can sign in without an email),
 * user verification required, no attestation, and the user's passkeys
 * excluded (an authenticator holding one of them says so instead of
 * making a second). The challenge is in `options.challenge`: keep it
 * (`PasskeyChallenges`) for the verification.
 */
export function passkeyRegistrationOptions(input: {
  rp: RelyingParty
  user: PasskeyUser
  existing: Pick<StoredPasskey, 'credentialId' | 'transports'>[]
  timeoutMs: number
}): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: input.rp.name,
    rpID: input.rp.id,
    userID: new Uint8Array(Buffer.from(input.user.handle, 'utf8')),
    userName: input.user.name,
    userDisplayName: input.user.displayName,
    timeout: input.timeoutMs,
    attestationType: 'none',
    excludeCredentials: input.existing.map((passkey) => ({
      id: passkey.credentialId,
      transports: passkey.transports,
    })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
  })
}

/**
 * Verifies the response of `navigator.credentials.create()` against the
 * challenge kept for it, the relying party's origin and id, with user
 * verification required. Returns the passkey to store; throws
 * E_PASSKEY_REJECTED (reason `response`) when anything does not match,
 * including a body that is not a registration response at all.
 */
export async function verifyPasskeyRegistration(input: {
  rp: RelyingParty
  response: unknown
  expectedChallenge: string
}): Promise<NewPasskey> {
  let result
  try {
    result = await verifyRegistrationResponse({
      response: input.response as RegistrationResponseJSON,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.id,
      requireUserVerification: true,
      supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
    })
  } catch (error) {
    throw new PasskeyRejectedException('response', { cause: error })
  }
  if (!result.verified) {
    throw new PasskeyRejectedException('response')
  }
  const info = result.registrationInfo
  return {
    credentialId: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    transports: info.credential.transports ?? [],
    backupEligible: info.credentialDeviceType === 'multiDevice',
    backedUp: info.credentialBackedUp,
    aaguid: info.aaguid,
  }
}

/**
 * The options of `navigator.credentials.get()`: user verification
 * required; `allow` lists the user's passkeys for a second factor, and is
 * left out for a sign-in without an email (the browser offers the
 * discoverable passkeys it holds for the relying party).
 */
export function passkeyAuthenticationOptions(input: {
  rp: RelyingParty
  allow?: Pick<StoredPasskey, 'credentialId' | 'transports'>[]
  timeoutMs: number
}): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: input.rp.id,
    timeout: input.timeoutMs,
    userVerification: 'required',
    allowCredentials: input.allow?.map((passkey) => ({
      id: passkey.credentialId,
      transports: passkey.transports,
    })),
  })
}

/**
 * The credential id and user handle an authentication response names,
 * to find the stored passkey before verifying it; null when the body
 * does not have them (it then fails as E_PASSKEY_REJECTED).
 */
export function passkeyResponseIds(
  response: unknown
): { credentialId: string; userHandle?: string } | null {
  if (typeof response !== 'object' || response === null) {
    return null
  }
  const { id, response: assertion } = response as Partial<AuthenticationResponseJSON>
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,1366}$/.test(id)) {
    return null
  }
  const userHandle =
    typeof assertion === 'object' && assertion !== null && typeof assertion.userHandle === 'string'
      ? Buffer.from(assertion.userHandle, 'base64url').toString('utf8')
      : undefined
  return { credentialId: id, ...(userHandle === undefined ? {} : { userHandle }) }
}

/**
 * Verifies the response of `navigator.credentials.get()` for `passkey`
 * (the stored one its id names) against the challenge kept for it, the
 * relying party's origin and id, its public key, with user verification
 * required, then the signature counter rule (`signCounterAdvances`).
 * Returns the new counter and backup state to store (with a conditional
 * update that checks the counter again, for parallel requests); throws
 * E_PASSKEY_REJECTED with reason `response` (anything does not verify)
 * or `counter` (a genuine signature whose counter did not increase: a
 * cloned authenticator).
 */
export async function verifyPasskeyAuthentication(input: {
  rp: RelyingParty
  response: unknown
  expectedChallenge: string
  passkey: StoredPasskey
}): Promise<PasskeyUse> {
  let result
  try {
    result = await verifyAuthenticationResponse({
      response: input.response as AuthenticationResponseJSON,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.id,
      /**
       * The counter is checked below, once the signature is known to be
       * genuine: a regression is then a clone, not a forged body.
       */
      credential: {
        id: input.passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(input.passkey.publicKey, 'base64url')),
        counter: 0,
        transports: input.passkey.transports as never,
      },
      requireUserVerification: true,
    })
  } catch (error) {
    throw new PasskeyRejectedException('response', { cause: error })
  }
  if (!result.verified || !result.authenticationInfo.userVerified) {
    throw new PasskeyRejectedException('response')
  }
  const { newCounter, credentialBackedUp } = result.authenticationInfo
  if (!signCounterAdvances(input.passkey.counter, newCounter)) {
    throw new PasskeyRejectedException('counter')
  }
  return { counter: newCounter, backedUp: credentialBackedUp }
}
