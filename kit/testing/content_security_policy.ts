/**
 * The Content-Security-Policy every HTML page of the kit carries, with
 * `NONCE` where the page's own nonce goes (see config/shield.ts).
 */
export const EXPECTED_POLICY: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", 'NONCE'],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
}

/**
 * The Referrer-Policy every response carries.
 */
export const EXPECTED_REFERRER_POLICY = 'same-origin'

/**
 * A Content-Security-Policy header as directive name -> values.
 */
export function parsePolicy(header: string): Record<string, string[]> {
  const directives: Record<string, string[]> = {}
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name) {
      directives[name.toLowerCase()] = values
    }
  }
  return directives
}

/**
 * Checks a page against the kit's policy: the header holds exactly the
 * expected directives, with one nonce in style-src; every <style> of the
 * page carries that nonce; scripts only as files of this origin (no
 * inline script), no style attribute, no inline event handler. `headers` as Node gives them (lower-case names).
 * Returns the nonce.
 */
export function assertPagePolicy(
  assert: any,
  headers: Record<string, unknown>,
  html: string
): string {
  const header = headers['content-security-policy'] as string | undefined
  assert.isString(header, 'a Content-Security-Policy header')
  assert.notProperty(headers, 'content-security-policy-report-only')
  assert.equal(headers['referrer-policy'], EXPECTED_REFERRER_POLICY)

  const policy = parsePolicy(header!)
  const nonceSource = policy['style-src']?.find((value) => value.startsWith("'nonce-"))
  assert.isDefined(nonceSource, `a nonce in style-src: ${header}`)
  const nonce = nonceSource!.slice("'nonce-".length, -1)
  assert.match(nonce, /^[\w-]{16,}$/, 'a nonce of 16+ URL-safe characters')

  const expected = Object.fromEntries(
    Object.entries(EXPECTED_POLICY).map(([name, values]) => [
      name,
      values.map((value) => (value === 'NONCE' ? `'nonce-${nonce}'` : value)),
    ])
  )
  assert.deepEqual(policy, expected)

  const styles = html.match(/<style\b[^>]*>/g) ?? []
  for (const style of styles) {
    assert.equal(style, `<style nonce="${nonce}">`, 'every <style> carries the nonce')
  }
  /**
   * Script files of this origin only (`script-src 'self'`), each element
   * empty: no inline script.
   */
  const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi) ?? []
  assert.equal(scripts.length, (html.match(/<script\b/gi) ?? []).length, 'every <script> is closed')
  for (const script of scripts) {
    assert.match(
      script,
      /^<script src="\/(?!\/)[\w./-]+"( defer)?><\/script>$/,
      'a script file of this origin, no inline script'
    )
  }
  assert.notMatch(html, /<[^>]+\sstyle\s*=/i, 'no style attribute')
  assert.notMatch(html, /<[^>]+\son[a-z]+\s*=/i, 'no inline event handler')
  return nonce
}
