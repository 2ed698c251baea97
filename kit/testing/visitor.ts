import { csrfTokenOf, signIn, type Send } from '#kit/testing/sign_in'

/**
 * Requests to the functional suite's own HTTP server (HOST, PORT), not
 * following redirects. The app's env is read on the first request, so
 * that importing the helpers boots nothing.
 */
export const testServer: Send = async (path, init = {}) => {
  const { default: env } = await import('#start/env')
  return fetch(`http://${env.get('HOST')}:${env.get('PORT')}${path}`, {
    redirect: 'manual',
    ...init,
  })
}

/**
 * A visitor that keeps the cookies the server sets, as a browser does
 * (every cookie, whatever its name: the session, the CSRF cookie, the
 * cookie store's data), and sends them back with each request.
 */
export class Visitor {
  cookies = new Map<string, string>()

  constructor(readonly send: Send = testServer) {}

  /**
   * The `Cookie` header the visitor sends.
   */
  get cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /**
   * Sends a request with the visitor's cookies, and keeps those the
   * response sets (a cookie set to expire is dropped).
   */
  async fetch(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers)
    if (this.cookies.size) {
      headers.set('cookie', this.cookieHeader)
    }
    const response = await this.send(path, { ...init, headers })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';')
      const name = pair.slice(0, pair.indexOf('='))
      const value = pair.slice(pair.indexOf('=') + 1)
      const expired = attributes.some((attribute) => /^\s*max-age=(0|-\d+)\s*$/i.test(attribute))
      if (expired || value === '') {
        this.cookies.delete(name)
      } else {
        this.cookies.set(name, value)
      }
    }
    return response
  }

  /**
   * GETs a page as a browser and returns it with the CSRF token of its
   * first form.
   */
  async form(path: string) {
    const page = await this.fetch(path, { headers: { accept: 'text/html' } })
    const html = await page.text()
    return { page, html, token: csrfTokenOf(html) }
  }

  /**
   * POSTs a form (with `_csrf` when given) as a browser, or as an API
   * client (`json: true`).
   */
  post(path: string, fields: Record<string, string>, options: { json?: boolean } = {}) {
    return this.fetch(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'accept': options.json ? 'application/json' : 'text/html',
      },
      body: new URLSearchParams(fields),
    })
  }

  /**
   * Signs in through the login form; returns the CSRF token of that form.
   */
  async signIn(email: string, password: string) {
    const { csrf } = await signIn((path, init) => this.fetch(path, init), email, { password })
    return csrf
  }
}
