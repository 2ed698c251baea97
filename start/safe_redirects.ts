/*
|--------------------------------------------------------------------------
| Safe "redirect back"
|--------------------------------------------------------------------------
|
| `response.redirect().back()` (used by shield on CSRF failures, by the
| session package on validation errors, by auth on bad credentials) builds
| its target from the Referer header's path. A Referer such as
| "https://evil.example//evil.example/x" gives "//evil.example/x", an
| off-site redirect. Here "back" only ever goes to a same-site path; any
| other target falls back to "/".
|
*/

import { Redirect } from '@adonisjs/core/http'
import { safeRedirectPath } from '#kit/security'

Redirect.prototype.back = function (this: Redirect, fallback: string = '/') {
  const previous = this.getPreviousUrl(fallback)
  const url = new URL(previous, 'http://same-origin.invalid')
  const target = previous === fallback ? fallback : `${url.pathname}${url.search}`
  this.toPath(safeRedirectPath(target, safeRedirectPath(fallback)))
}
