/**
 * An email address as the app stores and compares it: trimmed, in lower
 * case and in Unicode NFC, so that "Demo@Example.com ", "demo@example.com"
 * and an "é" typed as "e" plus a combining accent are the same account.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase().normalize('NFC')
}

/**
 * Characters that make two addresses look alike while they differ:
 * control and format characters (soft hyphen, zero-width spaces and
 * joiners, bidirectional controls such as U+202E), the others Unicode
 * says to draw as nothing (variation selectors, Hangul fillers...), and
 * spaces and line separators of any kind.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\p{Default_Ignorable_Code_Point}]/u

/**
 * Why an address (already trimmed) is refused before any lookup:
 * `quoted` when it holds a double quote (a quoted local part,
 * `"demo"@example.com`, which mail servers deliver as `demo@example.com`
 * or not at all), `invisible` when it holds a character of `INVISIBLE`;
 * undefined when it is plain.
 */
export function emailLookalike(email: string): 'invisible' | 'quoted' | undefined {
  if (email.includes('"')) {
    return 'quoted'
  }
  return INVISIBLE.test(email) ? 'invisible' : undefined
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
