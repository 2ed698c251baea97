import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { csrfCookieName, sessionCookieName } from '#config/session'
import type { HttpsConfig } from '#kit/sessions'

/**
 * How browsers reach the app. In production the session and CSRF cookies
 * are Secure ("__Host-"), which browsers do not keep over plain HTTP: a
 * production server whose APP_URL is http: warns as it starts, and a form
 * that fails its CSRF check because the browser is on plain HTTP goes to
 * the login page with a notice that says so (kit/sessions/src/plain_http.ts).
 */
const httpsConfig: HttpsConfig = {
  appUrl: env.get('APP_URL'),
  fallbackUrl: `http://${env.get('HOST')}:${env.get('PORT')}`,

  /**
   * TLS_TERMINATED_AT_PROXY=true: a proxy in front of the app serves
   * HTTPS to browsers and forwards plain HTTP (see "HTTPS" in
   * docs/production.md).
   */
  tlsTerminatedAtProxy: env.get('TLS_TERMINATED_AT_PROXY') ?? false,

  cookies: { secure: app.inProduction, names: [sessionCookieName, csrfCookieName] },
}

export default httpsConfig
