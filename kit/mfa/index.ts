/**
 * Second factors: TOTP (RFC 6238) with replay refusal, the QR code of the
 * secret as inline SVG, and recovery codes checked against stored hashes.
 * Storage, pages and the `mfa` claim are the app's (docs/mfa.md).
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
