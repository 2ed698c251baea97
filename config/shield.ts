import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/shield'

const shieldConfig = defineConfig({
  /**
   * Content-Security-Policy of every page: shield's middleware sets it on
   * routed requests; the security module's page policy sets the same one
   * (and a nonce) on the error pages shield never sees. Referrer-Policy is
   * in "config/security.ts". The nonce changes with
   * every response; views read it as `cspNonce`.
   */
  csp: {
    enabled: true,
    directives: {
      /**
       * Everything else (fonts, fetch, media...) from this origin only.
       */
      defaultSrc: ["'self'"],
      /**
       * Script files from this origin; no inline script at all. In
       * development, inline scripts that carry the nonce too: the error
       * page (Youch) and `@dump` are made of them.
       */
      scriptSrc: app.inDev ? ["'self'", '@nonce'] : ["'self'"],
      /**
       * Stylesheets from this origin (public/css/app.css) and <style>
       * blocks that carry the nonce: `<style nonce="{{ cspNonce }}">`.
       * No style="" attributes.
       */
      styleSrc: ["'self'", '@nonce'],
      /**
       * Images from this origin, and data: URIs (the empty favicon,
       * `<link rel="icon" href="data:,">`).
       */
      imgSrc: ["'self'", 'data:'],
      /**
       * No plugins (<object>, <embed>).
       */
      objectSrc: ["'none'"],
      /**
       * No <base> element: an injected one cannot move relative URLs.
       */
      baseUri: ["'none'"],
      /**
       * Forms post to this origin only.
       */
      formAction: ["'self'"],
      /**
       * No site may frame these pages (as X-Frame-Options: DENY below).
       */
      frameAncestors: ["'none'"],
    },
    /**
     * true sends Content-Security-Policy-Report-Only instead: violations
     * are reported in the browser's console but nothing is blocked.
     */
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
