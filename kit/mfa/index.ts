/**
 * Second factors: TOTP (RFC 6238) with replay refusal, the QR code of the
 * secret as inline SVG, recovery codes checked against stored hashes, and
 * passkeys (WebAuthn, on @simplewebauthn/server): ceremony options,
 * verification, the challenge kept in the session and the signature
 * counter rule. Storage, pages and the `mfa` claim are the app's
 * (docs/mfa.md). Settings: `defineConfig`, in "config/mfa.ts" (through
 * the light entry "#kit/mfa/define_config").
 */
export {
  verifyTotp,
  totpStep,
  totpCode,
  totpUri,
  totpQrSvg,
  generateTotpSecret,
  type TotpAlgorithm,
  type TotpParameters,
  type TotpCheck,
  type TotpResult,
} from '#kit/mfa/src/totp'
export {
  generateRecoveryCodes,
  normalizeRecoveryCode,
  hashRecoveryCodes,
  findRecoveryCode,
  RECOVERY_CODE_COUNT,
  type RecoveryCodeHasher,
} from '#kit/mfa/src/recovery_codes'
export {
  defineConfig,
  relyingPartyFor,
  type PasskeysConfig,
  type ResolvedPasskeysConfig,
  type ResolvedMfaConfig,
  type RelyingParty,
  type RequestOrigin,
} from '#kit/mfa/define_config'
export {
  passkeyRegistrationOptions,
  verifyPasskeyRegistration,
  passkeyAuthenticationOptions,
  verifyPasskeyAuthentication,
  passkeyResponseIds,
  signCounterAdvances,
  PASSKEY_ALGORITHMS,
  type StoredPasskey,
  type NewPasskey,
  type PasskeyUse,
  type PasskeyUser,
} from '#kit/mfa/src/passkeys'
export {
  PasskeyChallenges,
  PASSKEY_CHALLENGE_SESSION_KEY,
  type PasskeyCeremony,
  type ChallengeSession,
} from '#kit/mfa/src/passkey_challenges'
export {
  default as PasskeyRejectedException,
  type PasskeyRejection,
} from '#kit/mfa/src/passkey_rejected_exception'
