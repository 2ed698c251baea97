/**
 * Sessions: signed-in sessions kept as families of rotating tokens (in the
 * database or Redis), with token theft detection, the CSRF secret of
 * visitors without a session, session claims (facts about the user that
 * routes require), the auth middleware and the three auth exceptions.
 *
 * Built on @adonisjs/session and @adonisjs/auth. The provider is
 * "#kit/sessions/provider"; the middleware are
 * "#kit/sessions/session_middleware" and
 * "#kit/sessions/arrival_time_middleware" (lazy-loaded by the kernel).
 * Settings: `defineConfig` below, in "config/session_security.ts".
 */

export {
  defineConfig,
  parseDuration,
  type SessionSecurityConfig,
  type ResolvedSessionSecurityConfig,
  type FamilyStoresConfig,
} from './define_config.js'
export { SessionFamilies } from './src/session_families.js'
export type {
  ResolvedSessionConfig,
  SessionPolicy,
  ResolvedSession,
  SessionChange,
  SessionSummary,
  SessionFamilyStore,
} from './src/types.js'
export { DatabaseFamilyStore } from './src/database_family_store.js'
export { RedisFamilyStore } from './src/redis_family_store.js'
export { generateSessionToken, hashToken, isWellFormedToken } from './src/token_hash.js'
export { PreparedUserProvider } from './src/prepared_user_provider.js'
export { SessionStoreCheck } from './src/session_store_check.js'
export { AuthMiddleware, type AuthMiddlewareOptions } from './src/auth_middleware.js'
export { loginFormPath, redirectToLogin, type LoginReason } from './src/login_redirect.js'
export { Claim, type ClaimValidator, type ClaimFailureReason } from './src/claims/claim.js'
export { CLAIMS_SESSION_KEY, checkClaims, refreshClaim } from './src/claims/check_claims.js'
export { RecentAuthClaim } from './src/claims/recent_auth_claim.js'
export { privilegeChanged } from './src/privilege_change.js'
export {
  SIGN_IN_METHODS_SESSION_KEY,
  AUTH_PROOF_SESSION_KEY,
  type AuthProof,
  recordSignIn,
  recordSignInStep,
  recordAuthProof,
  authProofOf,
  signInMethodsOf,
} from './src/sign_in_record.js'
export {
  default as UnauthorizedException,
  UNAUTHORIZED_MESSAGES,
  type UnauthorizedReason,
} from './src/exceptions/unauthorized_exception.js'
export {
  default as InvalidClaimException,
  type ClaimFailure,
} from './src/exceptions/invalid_claim_exception.js'
export { default as TokenTheftDetectedException } from './src/exceptions/token_theft_detected_exception.js'
export { SessionErrors } from './src/session_errors.js'
export { PLAIN_HTTP_MESSAGE, plainHttpWarning, type HttpsConfig } from './src/plain_http.js'
