import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import app from '@adonisjs/core/services/app'
import type { ResolvedSessionSecurityConfig } from '#kit/sessions/define_config'
import type { ClaimValidator } from '#kit/sessions/src/claims/claim'
import { CLAIMS_SESSION_KEY, checkClaims } from '#kit/sessions/src/claims/check_claims'
import UnauthorizedException, {
  type UnauthorizedReason,
} from '#kit/sessions/src/exceptions/unauthorized_exception'
import InvalidClaimException from '#kit/sessions/src/exceptions/invalid_claim_exception'
import { noStore } from '#kit/security'
import { withoutStackTrace } from '#kit/errors/exceptions'

/**
 * Options of `middleware.auth()`.
 */
export type AuthMiddlewareOptions = {
  /**
   * The claim validators of the route. A list replaces the global ones
   * (`[]` turns them off); a function receives the global list and returns
   * the route's (`(global) => [...global, role.includes('admin')]`).
   */
  claims?: ClaimValidator[] | ((global: ClaimValidator[]) => ClaimValidator[])

  /**
   * Attach the user when there is one, never raise E_UNAUTHORIZED.
   */
  optional?: boolean
}

/**
 * Protects routes: `middleware.auth()`.
 *
 * - No valid signed-in session: the session's auth state is cleared and
 *   E_UNAUTHORIZED is raised (browsers go to the login page).
 * - Claim validators failing: E_INVALID_CLAIM (403), nothing cleared.
 * - A claim value that changed since it was last fetched (a new role)
 *   rotates the session token.
 * - Both errors are answers, not bugs: they are built without a stack
 *   trace (see `withoutStackTrace`).
 * - Every response of the route (the page, the 401, the 403, the redirect
 *   to the login page) is `Cache-Control: no-store`: it depends on who is
 *   signed in.
 *
 * The app's "app/middleware/auth_middleware.ts" extends it, so that
 * `middleware.auth()` is the app's own file, as with @adonisjs/auth.
 */
export class AuthMiddleware {
  /**
   * The claim validators every route checks unless it passes its own
   * (`globalClaims` of the session security config). Read on every
   * request: a change to the config object applies to the next request.
   */
  protected globalClaims(): ClaimValidator[] {
    return (
      app.config.get<ResolvedSessionSecurityConfig | undefined>('session_security')?.globalClaims ??
      []
    )
  }

  async handle(ctx: HttpContext, next: NextFn, options: AuthMiddlewareOptions = {}) {
    noStore(ctx.response)
    const guard = ctx.auth.use('web')

    /**
     * A session without a user id is not signed in: the guard is not asked
     * (it would build and catch an error of its own, stack trace included).
     */
    const signedIn = ctx.session?.has(guard.sessionKeyName) ? await guard.check() : false

    if (!signedIn) {
      if (options.optional) {
        return next()
      }
      if (ctx.session?.has(guard.sessionKeyName)) {
        ctx.session.forget(guard.sessionKeyName)
      }
      ctx.session?.forget(CLAIMS_SESSION_KEY)
      throw withoutStackTrace(() => new UnauthorizedException(unauthorizedReason(ctx)))
    }

    const validators =
      typeof options.claims === 'function'
        ? options.claims(this.globalClaims())
        : (options.claims ?? this.globalClaims())

    if (validators.length) {
      const { failures, changed } = await checkClaims(ctx.session, guard.user!, validators)
      if (changed) {
        ctx.sessionTokens?.requestRotation()
      }
      if (failures.length) {
        throw withoutStackTrace(() => new InvalidClaimException(failures))
      }
    }

    return next()
  }
}

/**
 * Why the request is not signed in, from what the session middleware saw.
 */
function unauthorizedReason(ctx: HttpContext): UnauthorizedReason {
  switch (ctx.sessionTokens?.resolved.kind) {
    case 'expired':
      return 'expired'
    case 'unknown':
    case 'theft':
    case 'stale':
      return 'revoked'
    case 'invalid':
      return 'invalid'
    default:
      return 'missing'
  }
}
