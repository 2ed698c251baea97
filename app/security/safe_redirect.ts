/**
 * Characters that must never appear in a redirect target: control
 * characters (tabs and newlines are dropped by browsers, which turns
 * "/\t/evil.example" into "//evil.example") and backslashes (read as "/").
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001F\u007F\\]/

/**
 * Returns `target` when it is a same-origin relative path ("/dashboard",
 * "/orders?page=2"), and `fallback` for anything else: absolute URLs,
 * protocol-relative URLs ("//evil.example"), "/\evil.example",
 * "https:evil.example", "javascript:...", encoded slashes that decode to
 * one of those, control characters.
 */
export function safeRedirectPath(target: unknown, fallback = '/'): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > 2048) {
    return fallback
  }

  let decoded: string
  try {
    decoded = decodeURIComponent(target)
  } catch {
    return fallback
  }

  for (const candidate of [target, decoded]) {
    if (!candidate.startsWith('/') || candidate.startsWith('//')) {
      return fallback
    }
    if (UNSAFE_CHARACTERS.test(candidate)) {
      return fallback
    }
  }

  /**
   * Last check: resolved against a dummy origin, the path must stay on it.
   */
  const resolved = new URL(target, 'http://same-origin.invalid')
  if (resolved.origin !== 'http://same-origin.invalid') {
    return fallback
  }
  return `${resolved.pathname}${resolved.search}${resolved.hash}`
}
