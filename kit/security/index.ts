/**
 * Security: the form throttle (on @adonisjs/limiter), safe redirects,
 * request ids, the page policy of the pages shield never sees, the
 * no-store rule, body nesting limits, and which proxies to trust.
 *
 * The provider is "#kit/security/provider"; the middleware are
 * "#kit/security/response_headers_middleware",
 * "#kit/security/public_files_middleware" and
 * "#kit/security/body_parser_middleware" (lazy-loaded by the kernel).
 * Settings: `defineConfig` below, in "config/security.ts".
 */

export {
  defineConfig,
  type SecurityConfig,
  type ResolvedSecurityConfig,
  type ThrottledAccounts,
} from './define_config.js'
export {
  FormThrottle,
  boundedLimiterKey,
  MAX_LIMITER_KEY_LENGTH,
  type ThrottledForm,
} from './src/form_throttle.js'
export type { FormThrottleConfig, FormThrottlePolicy } from './src/form_throttle_policy.js'
export { PagePolicy, applyRawPagePolicy } from './src/page_policy.js'
export { pageToReturnTo, safeRedirectPath } from './src/safe_redirect.js'
export { noStore } from './src/no_store.js'
export { trustProxy, trustedProxies, type TrustProxySetting } from './src/trusted_proxies.js'
export { jsonNestingExceeds, nestingExceeds } from './src/body_depth.js'
