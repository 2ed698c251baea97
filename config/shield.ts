import { defineConfig } from '@adonisjs/shield'

const shieldConfig = defineConfig({
  /**
   * Content Security Policy. Off by default; see the shield docs to
   * turn it on with nonces.
   */
  csp: {
    enabled: false,
    directives: {},
    reportOnly: false,
  },

  /**
   * CSRF protection for form submissions: every POST/PUT/PATCH/DELETE must
   * carry the token rendered by "{{ csrfField() }}".
   */
  csrf: {
    enabled: true,
    exceptRoutes: [],
    enableXsrfCookie: false,
    methods: ['POST', 'PUT', 'PATCH', 'DELETE'],
  },

  /**
   * Forbid rendering the app inside iframes (clickjacking).
   */
  xFrame: {
    enabled: true,
    action: 'DENY',
  },

  /**
   * Tell browsers to use HTTPS only (sent in production over HTTPS).
   */
  hsts: {
    enabled: true,
    maxAge: '180 days',
  },

  /**
   * Send "X-Content-Type-Options: nosniff".
   */
  contentTypeSniffing: {
    enabled: true,
  },
})

export default shieldConfig
