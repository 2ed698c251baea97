import type { HttpContext } from '@adonisjs/core/http'

/**
 * Characters that must never appear in a redirect target: control
 * characters (tabs and newlines are dropped by browsers, which turns
 * "/\t/evil.example" into "//evil.example") and backslashes (read as "/").
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001F\u007F\\]/

/**
 * The dummy origin paths are resolved against.
 */
const SAME_ORIGIN = 'http://same-origin.invalid'

/**
 * Returns `target` when it is a same-origin relative path ("/dashboard",
 * "/orders?page=2"), and `fallback` for anything else: absolute URLs,
 * protocol-relative URLs ("//evil.example"), "/\evil.example",
 * "https:evil.example", "javascript:...", encoded slashes that decode to
 * one of those, control characters.
 *
 * The path is returned normalised (dot segments resolved), and the
 * normalised path is checked again: "/.//evil.example" normalises to
 * "//evil.example", which is refused.
 */
export function safeRedirectPath(target: unknown, fallback = '/'): string {
  if (typeof target !== 'string' || target.length > 2048 || !isSafePath(target)) {
    return fallback
  }

  const resolved = new URL(target, SAME_ORIGIN)
  const normalised = `${resolved.pathname}${resolved.search}${resolved.hash}`
  if (resolved.origin !== SAME_ORIGIN || !isSafePath(normalised)) {
    return fallback
  }
  return normalised
}

/**
 * True for a path that starts with a single "/" and holds no unsafe
 * character, as it is and once percent-decoded.
 */
function isSafePath(path: string): boolean {
  let decoded: string
  try {
    decoded = decodeURIComponent(path)
  } catch {
    return false
  }
  return [path, decoded].every(
    (candidate) =>
      candidate.startsWith('/') && !candidate.startsWith('//') && !UNSAFE_CHARACTERS.test(candidate)
  )
}

/**
 * The page a browser should come back to after a detour (a challenge, a
 * confirm page): the page it asked for when it was a GET, or the page
 * whose form it posted (the Referer, when it is of this site); '' for
 * none (the home page). Pass it through `safeRedirectPath` before use.
 */
export function pageToReturnTo(ctx: HttpContext): string {
  if (ctx.request.method() === 'GET') {
    return ctx.request.url(true)
  }
  try {
    const referer = new URL(ctx.request.header('referer', '')!)
    return referer.host === ctx.request.host() ? `${referer.pathname}${referer.search}` : ''
  } catch {
    return ''
  }
}
