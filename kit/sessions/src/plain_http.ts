import type { HttpContext } from '@adonisjs/core/http'

/**
 * How browsers reach the app, for the checks below ("config/https.ts").
 */
export type HttpsConfig = {
  /**
   * APP_URL as set, or undefined when it is not set.
   */
  appUrl: string | undefined
  /**
   * The address used instead when APP_URL is not set (http://HOST:PORT).
   */
  fallbackUrl: string
  /**
   * True when TLS ends at a proxy in front of the app that serves HTTPS
   * to browsers (TLS_TERMINATED_AT_PROXY): the app then trusts that
   * browsers are on HTTPS, whatever APP_URL and the connection say.
   */
  tlsTerminatedAtProxy: boolean
  /**
   * The app's own cookies (the session cookie, the CSRF cookie), and
   * whether they are Secure: a browser on plain HTTP never sends them.
   */
  cookies: { secure: boolean; names: string[] }
}

/**
 * The notice of the login page (`/login?reason=plain_http`) after a form
 * failed because the browser is on plain HTTP.
 */
export const PLAIN_HTTP_MESSAGE =
  'This site was opened over plain HTTP (http://), where your browser does not keep the ' +
  'sign-in cookies, so the form could not be sent. Open it with https:// instead.'

/**
 * Hosts browsers treat as secure even over plain HTTP (Chrome and Firefox
 * keep Secure cookies for them): a production build tried locally.
 */
function isLoopback(hostname: string) {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(hostname) ||
    hostname === '[::1]'
  )
}

/**
 * The boot warning of a production server browsers would reach over plain
 * HTTP: its session and CSRF cookies are Secure (`__Host-`), which browsers
 * do not keep over plain HTTP, so every form (sign-in first) fails its CSRF
 * check. None when APP_URL is https:, on a loopback host, or when TLS ends
 * at a proxy.
 */
export function plainHttpWarning(config: HttpsConfig): string | undefined {
  if (config.tlsTerminatedAtProxy) {
    return undefined
  }
  const address = config.appUrl ?? config.fallbackUrl
  let url: URL
  try {
    url = new URL(address)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' || isLoopback(url.hostname)) {
    return undefined
  }
  const origin = url.origin
  const said =
    config.appUrl === undefined
      ? `APP_URL is not set (the app is at ${origin})`
      : `APP_URL is ${origin}`
  return (
    `${said}: over plain HTTP browsers do not keep the app's Secure session and CSRF cookies, ` +
    `so sign-in and every other form fail. Serve the app over HTTPS and set ` +
    `APP_URL=https://${url.host}; if a proxy in front of the app serves HTTPS, set ` +
    `APP_URL to its https:// address, or TLS_TERMINATED_AT_PROXY=true (docs/production.md)`
  )
}

/**
 * True when a request failed its CSRF check because the browser is on
 * plain HTTP: the app's cookies are Secure, the request came over plain
 * HTTP (as `request.protocol()` reads it, X-Forwarded-Proto from a trusted
 * proxy included), TLS does not end at a proxy, and the request carries
 * none of the app's cookies, which such a browser never sends back.
 */
export function lostToPlainHttp(ctx: HttpContext, config: HttpsConfig): boolean {
  if (!config.cookies.secure || config.tlsTerminatedAtProxy || ctx.request.protocol() === 'https') {
    return false
  }
  const sent = (ctx.request.header('cookie') ?? '')
    .split(';')
    .map((pair) => pair.split('=')[0].trim())
  return !config.cookies.names.some((name) => sent.includes(name))
}
