import { randomUUID } from 'node:crypto'
import { inject } from '@adonisjs/core'
import emitter from '@adonisjs/core/services/emitter'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Session } from '@adonisjs/session'
import { RequestSessionStore } from '#session/request_session_store'
import { SessionFamilies } from '#session/session_families'
import type { ResolvedSessionConfig } from '#session/types'
import TokenTheftDetectedException from '#exceptions/token_theft_detected_exception'
import ServiceUnavailableException from '#exceptions/service_unavailable_exception'

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
 * regenerate) on top of rotating session tokens:
 *
 * 1. the cookie's token is resolved in the family store, which rotates it
 *    when due, lets its predecessor through within the grace window, and
 *    revokes the whole family when a rotated token is reused (theft); with
 *    `theftDetection: false` such a token is only refused (a fresh
 *    session, and E_UNAUTHORIZED on protected routes);
 * 2. on theft, the revocation has already happened when
 *    E_TOKEN_THEFT_DETECTED is raised; the fresh session carries the
 *    "signed out" message and the cookie is replaced;
 * 3. after the route, the session is committed and the cookie set to the
 *    current token (no cookie at all for an empty new session).
 *
 * When the store cannot be reached (or does not answer in time) at step 1
 * or 3, the request fails with E_SERVICE_UNAVAILABLE (503): nothing is
 * answered as if it had been saved.
 *
 * With the cookie store (which cannot detect theft), it behaves like the
 * package's own middleware.
 */
@inject()
export default class SessionMiddleware {
  constructor(protected families: SessionFamilies) {}

  async handle(ctx: HttpContext, next: NextFn) {
    const { config, store: families, policy, userIdKey } = this.families
    if (!config.enabled) {
      return next()
    }
    if (!families) {
      ctx.session = new Session(config, config.stores[config.store], emitter, ctx)
      await ctx.session.initiate(false)
      const response = await next()
      await ctx.session.commit()
      return response
    }

    const tokens = new RequestSessionStore(families, policy, userIdKey, {
      userAgent: ctx.request.header('user-agent') ?? null,
    })
    const cookieWasSent = hasCookie(ctx, config.cookieName)
    const resolved = await usingStore(() =>
      tokens.resolve(ctx.request.cookie(config.cookieName), cookieWasSent)
    )

    ctx.sessionTokens = tokens
    ctx.session = new Session(config, () => tokens, emitter, ctx)
    await ctx.session.initiate(false)
    ensureCsrfSecret(ctx)

    try {
      if (resolved.kind === 'theft') {
        ctx.session.flash('notice', TokenTheftDetectedException.message)
        throw new TokenTheftDetectedException(
          resolved.familyId,
          resolved.userId === null ? null : Number(resolved.userId),
          resolved.revokedNow
        )
      }
      return await next()
    } finally {
      dropUnneededCsrfSecret(ctx, tokens)
      if (!isUnusedNewSession(ctx, tokens)) {
        await usingStore(() => ctx.session.commit())
        setSessionCookie(ctx, config, tokens.token, cookieWasSent)
      }
    }
  }
}

/**
 * Runs an operation on the session store. An error saying the store
 * cannot be reached becomes E_SERVICE_UNAVAILABLE; any other is raised
 * as it is.
 */
async function usingStore<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation()
  } catch (error) {
    throw ServiceUnavailableException.fromStoreError(error) ?? error
  }
}

/**
 * The session key of shield's CSRF secret.
 */
const CSRF_SECRET_KEY = 'csrf-secret'

/**
 * Gives a session without a CSRF secret one (122 random bits) before shield
 * makes its own: shield calls `randomBytes` asynchronously (through
 * libuv's thread pool) on every request without a session, which cost a
 * tenth of the time of a small request; `randomUUID` draws from a cached
 * batch of random bytes. Dropped again at the end when the response did
 * not need it.
 */
function ensureCsrfSecret(ctx: HttpContext) {
  if (!ctx.session.has(CSRF_SECRET_KEY)) {
    ctx.session.put(CSRF_SECRET_KEY, randomUUID())
  }
}

/**
 * Shield puts a CSRF secret in the session of every request. A new session
 * whose only value is that secret is not stored when the response does not
 * carry the CSRF token (no `csrfField()`, `csrfMeta()` or `{{ csrfToken }}`
 * in the page, no `request.csrfToken` in a JSON body): cookie-less visits of pages without forms, API calls and
 * error pages (and floods of them) create no session rows and no cookies.
 *
 * A response that sends the token otherwise (streamed, or in a header)
 * keeps its session with `ctx.sessionTokens.markNeeded()`.
 */
function dropUnneededCsrfSecret(ctx: HttpContext, tokens: RequestSessionStore) {
  if (!tokens.isDisposable) {
    return
  }
  const keys = Object.keys(ctx.session.all())
  if (
    keys.length === 1 &&
    keys[0] === CSRF_SECRET_KEY &&
    ctx.session.responseFlashMessages.isEmpty &&
    !bodyCarries(ctx, ctx.request.csrfToken)
  ) {
    ctx.session.forget(CSRF_SECRET_KEY)
  }
}

/**
 * True when the response body (a string, a buffer, or data sent as JSON)
 * contains `text`. Streamed bodies are not read.
 */
function bodyCarries(ctx: HttpContext, text: string | undefined) {
  const body = ctx.response.content?.[0]
  if (!text || body === null || body === undefined) {
    return false
  }
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    return body.includes(text)
  }
  return typeof body === 'object' && JSON.stringify(body).includes(text)
}

/**
 * True for a request that came without a session cookie and leaves its
 * new session empty: committing it would store nothing and only sign a
 * cookie that the response then drops, and there is no cookie to set or
 * clear.
 */
function isUnusedNewSession(ctx: HttpContext, tokens: RequestSessionStore) {
  return (
    tokens.resolved.kind === 'none' &&
    ctx.session.isEmpty &&
    ctx.session.responseFlashMessages.isEmpty
  )
}

/**
 * True when the request carried a cookie of that name (valid or not).
 */
function hasCookie(ctx: HttpContext, name: string) {
  const header = ctx.request.header('cookie') ?? ''
  return header.split(';').some((part) => part.trim().startsWith(`${name}=`))
}

/**
 * Replaces the cookie `Session#commit` wrote (it knows only its own id)
 * with the current token; clears it when there is no session left.
 */
function setSessionCookie(
  ctx: HttpContext,
  config: ResolvedSessionConfig,
  token: string | null,
  cookieWasSent: boolean
) {
  const existing = ctx.response.getHeader('set-cookie')
  const others = (Array.isArray(existing) ? existing : existing ? [String(existing)] : []).filter(
    (cookie) => !cookie.startsWith(`${config.cookieName}=`)
  )
  ctx.response.removeHeader('set-cookie')
  for (const cookie of others) {
    ctx.response.append('set-cookie', cookie)
  }

  if (token) {
    ctx.response.cookie(config.cookieName, token, config.cookie)
  } else if (cookieWasSent) {
    ctx.response.clearCookie(config.cookieName, config.cookie)
  }
}
