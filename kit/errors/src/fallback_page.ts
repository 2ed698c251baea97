import type { ErrorDescription } from '#kit/errors/src/error_description'

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/**
 * Escapes a value for HTML text and attribute values.
 */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char])
}

/**
 * A complete error page built without templates, for when a status page
 * cannot be rendered (the template throws, or the view is missing) and
 * for HTML errors outside debug mode that have no status page. Every
 * value is escaped; it needs nothing but this function. Its <style>
 * carries `nonce`, the nonce of the response's Content-Security-Policy
 * (`ctx.response.nonce`), without which the browser would not apply it.
 */
export function fallbackPage(error: ErrorDescription, nonce?: string): string {
  const reference = error.requestId
    ? `<p class="reference">Reference: <code>${escapeHtml(error.requestId)}</code></p>`
    : ''

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(error.status)} ${escapeHtml(error.title)}</title>
<style${nonce ? ` nonce="${escapeHtml(nonce)}"` : ''}>
body{margin:0;font-family:system-ui,sans-serif;line-height:1.5;background:#fff;color:#1a1a1a}
main{max-width:36rem;margin:0 auto;padding:3rem 1.25rem}
.status{font-size:1rem;font-weight:600;color:#555;margin:0}
h1{margin:.25rem 0 1rem;font-size:1.75rem}
a{color:#3d1fa3}
.reference{color:#555;font-size:.875rem}
@media (prefers-color-scheme:dark){body{background:#16161a;color:#ececec}.status,.reference{color:#b4b4b4}a{color:#c4b5ff}}
</style>
</head>
<body>
<main>
<p class="status">Error ${escapeHtml(error.status)}</p>
<h1>${escapeHtml(error.title)}</h1>
<p>${escapeHtml(error.message)}</p>
${reference}
<p><a href="/">Go to the home page</a></p>
</main>
</body>
</html>
`
}
