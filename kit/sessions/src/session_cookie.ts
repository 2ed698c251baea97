import type { OutgoingHttpHeader } from 'node:http'
import type { HttpResponse } from '@adonisjs/core/http'
import type { ResolvedSessionConfig } from '#kit/sessions/src/types'
import { noStore } from '#kit/security'

/**
 * True when a `Cookie` request header carries a cookie of that name
 * (valid or not).
 */
export function hasCookie(cookieHeader: string | undefined, name: string): boolean {
  return (cookieHeader ?? '').split(';').some((part) => part.trim().startsWith(`${name}=`))
}

/**
 * The `Set-Cookie` values of a response, less those that set the cookie
 * of that name.
 */
export function withoutCookie(setCookie: OutgoingHttpHeader | undefined, name: string): string[] {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [String(setCookie)] : []
  return cookies.filter((cookie) => !cookie.startsWith(`${name}=`))
}

/**
 * Replaces the session cookie `Session#commit` wrote (it knows only its
 * own id, `committedId`) with the current token; clears it when there is
 * no session left and the request had sent one. When the commit's id is
 * the current token (a signed-in request without rotation), its cookie is
 * already right and is not signed again. A response that sets or clears
 * the cookie is `Cache-Control: no-store`, so no cache hands it to someone
 * else.
 */
export function setSessionCookie(
  response: HttpResponse,
  config: ResolvedSessionConfig,
  token: string | null,
  cookieWasSent: boolean,
  committedId: string
) {
  if (token !== null && token === committedId) {
    noStore(response)
    return
  }
  leaveSessionCookie(response, config)

  if (token) {
    response.cookie(config.cookieName, token, config.cookie)
  } else if (cookieWasSent) {
    response.clearCookie(config.cookieName, config.cookie)
  }
}

/**
 * Takes back the session cookie the commit wrote: the browser keeps the
 * cookie it has (see `RequestSessionStore#leavesCookie`). The response is
 * still `no-store`: it was made for one session.
 */
export function leaveSessionCookie(response: HttpResponse, config: ResolvedSessionConfig) {
  const others = withoutCookie(response.getHeader('set-cookie'), config.cookieName)
  response.removeHeader('set-cookie')
  for (const cookie of others) {
    response.append('set-cookie', cookie)
  }
  noStore(response)
}
