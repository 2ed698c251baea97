import { inject } from '@adonisjs/core'
import emitter from '@adonisjs/core/services/emitter'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Session } from '@adonisjs/session'
import { SessionFamilies } from '#kit/sessions/src/session_families'
import { RequestSessionStore } from '#kit/sessions/src/request_session_store'
import {
  renewCsrfSecretOnSignInOrOut,
  seedCsrfSecret,
  settleCsrfSecret,
} from '#kit/sessions/src/csrf_secret'
import { leaveSessionCookie, setSessionCookie } from '#kit/sessions/src/session_cookie'
import { noStore } from '#kit/security'
import {
  isStolenToken,
  isUnchangedSession,
  isUnusedNewSession,
  refuseStolenToken,
  resolveCookieToken,
  usingStore,
} from '#kit/sessions/src/session_tokens'

declare module '@adonisjs/core/http' {
  interface HttpContext {
    /**
     * The session (values, flash messages) of this request.
     */
    session: Session

    /**
     * The session's token state for this request: what became of the
     * cookie's token, and the token the response will carry.
     */
    sessionTokens?: RequestSessionStore
  }
}

/**
 * Starts `ctx.session` (@adonisjs/session's API: values, flash messages,
 * regenerate) on top of rotating session tokens, as the package's own
 * middleware does (create, initiate, next, commit) with these steps added:
 *
 * 1. the cookie's token is resolved in the family store first, as of
 *    when the request arrived (rotated when due; a stolen token has its
 *    family revoked and raises E_TOKEN_THEFT_DETECTED: no new session is
 *    stored and the response clears the cookie);
 * 2. shield's CSRF secret is seeded (from the CSRF cookie when there is no
 *    stored session), renewed when the request signs a user in or out,
 *    and, when the session would hold nothing else, kept in the encrypted
 *    CSRF cookie instead of a stored session (or dropped when the response
 *    did not hand the token out);
 * 3. after the commit, the cookie is set to the current token (no cookie at
 *    all for an empty new session). A session the request left unchanged
 *    is not committed: its cookie is right already, and is sent again only
 *    when its idle deadline moves (at most once a minute). When another
 *    request rotated the token (or ended the session) while this one ran,
 *    the commit goes to the family's current token and the cookie is left
 *    as the browser has it: never set back to a rotated token.
 *
 * When the store cannot be reached (or does not answer in time) at step 1
 * or at the commit, the request fails with E_SERVICE_UNAVAILABLE (503):
 * nothing is answered as if it had been saved.
 *
 * With the cookie store (which cannot detect theft, and keeps nothing on
 * the server anyway), it behaves like the package's own middleware, the
 * CSRF secret renewed at sign-in and sign-out.
 */
@inject()
export default class SessionMiddleware {
  constructor(protected families: SessionFamilies) {}

  async handle(ctx: HttpContext, next: NextFn) {
    const { config, policy, userIdKey, store } = this.families
    if (!config.enabled) {
      return next()
    }

    /**
     * The cookie store keeps no families: the package's own steps
     */
    if (!store) {
      ctx.session = new Session(config, config.stores[config.store], emitter, ctx)
      await ctx.session.initiate(false)
      const userIdBefore = ctx.session.get(userIdKey)
      const response = await next()
      renewCsrfSecretOnSignInOrOut(ctx.session, userIdKey, userIdBefore)
      await ctx.session.commit()
      return response
    }

    /**
     * Resolve the cookie's token, then create the session on top of it
     */
    const tokens = new RequestSessionStore(store, policy, userIdKey, {
      userAgent: ctx.request.header('user-agent') ?? null,
    })
    await resolveCookieToken(ctx, tokens, config.cookieName)
    ctx.sessionTokens = tokens
    ctx.session = new Session(config, () => tokens, emitter, ctx)

    /**
     * Initiate the session, with shield's CSRF secret seeded
     */
    const csrfCookie = { name: config.csrfCookieName, options: config.cookie }
    await ctx.session.initiate(false)
    const userIdBefore = ctx.session.get(userIdKey)
    seedCsrfSecret(ctx, tokens, csrfCookie)

    try {
      /**
       * Stop at a stolen token, else call next middlewares or route handler
       */
      refuseStolenToken(tokens)
      return await next()
    } finally {
      /**
       * Settle the CSRF secret (session or cookie). A stolen token:
       * nothing is stored and the cookie is cleared. Else commit store
       * mutations, then give the cookie the current token
       */
      renewCsrfSecretOnSignInOrOut(ctx.session, userIdKey, userIdBefore)
      settleCsrfSecret(ctx, tokens, csrfCookie)
      if (isStolenToken(tokens)) {
        setSessionCookie(ctx.response, config, null, true, ctx.session.sessionId)
      } else if (isUnchangedSession(ctx.session, tokens)) {
        noStore(ctx.response)
      } else if (!isUnusedNewSession(ctx.session, tokens)) {
        await usingStore(() => ctx.session.commit())
        if (tokens.leavesCookie) {
          leaveSessionCookie(ctx.response, config)
        } else {
          setSessionCookie(
            ctx.response,
            config,
            tokens.token,
            tokens.cookieWasSent,
            ctx.session.sessionId
          )
        }
      }
    }
  }
}
