/**
 * An email address as the app stores and compares it: trimmed and in
 * lower case, so that "Demo@Example.com " and "demo@example.com" are the
 * same account.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/**
 * An email address for log lines: the first character of the local part
 * and the domain ("d***@example.com"), enough to tell a domain or a
 * typo apart, not enough to read the address.
 */
export function maskEmail(email: string): string {
  const normalized = normalizeEmail(email)
  const at = normalized.lastIndexOf('@')
  if (at < 1) {
    return '***'
  }
  return `${normalized[0]}***${normalized.slice(at)}`
}
