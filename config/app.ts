import type { IncomingMessage, ServerResponse } from 'node:http'
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { Secret } from '@adonisjs/core/helpers'
import { defineConfig } from '@adonisjs/core/http'
import { sendBadUrl } from '#kit/errors/bad_url'
import { newRequestId } from '#kit/errors'
import { applyRawPagePolicy, trustedProxies } from '#kit/security'

/**
 * The app key is used for encrypting cookies, generating signed URLs,
 * and by the "encryption" module. Keep it secret; it is validated in
 * "start/env.ts" (32+ characters).
 */
export const appKey = new Secret(env.get('APP_KEY'))

/**
 * The configuration settings used by the HTTP server
 */
export const http = defineConfig({
  /**
   * Every request gets an id before anything else runs, so the request's
   * logger is made with it: an incoming "x-request-id" header, or 32
   * random hex characters (`newRequestId`). The kit's request id
   * middleware then replaces an incoming id that is not short and safe,
   * and sends the id back in the "x-request-id" response header. Error
   * pages, JSON error bodies and log lines all carry the same id.
   */
  generateRequestId: true,
  createRequestId: newRequestId,

  /**
   * Answers a URL that cannot be decoded (malformed percent-encoding, such
   * as "/%E0%A4%A"). AdonisJS 7 rejects it before any middleware runs; the
   * kit sends a 400 E_BAD_URL page or body with a request id instead of
   * the framework's plain-text "Bad Request", with the app's
   * Content-Security-Policy and Referrer-Policy (no middleware sets them).
   */
  onBadUrl: async (request: IncomingMessage, response: ServerResponse) => {
    sendBadUrl(request, response, await applyRawPagePolicy(request, response))
  },

  /**
   * Who the client is: TRUST_PROXY says which proxies may name it in
   * X-Forwarded-For (none by default, so a client cannot claim another
   * address to get round the sign-in throttle). `request.ip()` is always
   * an IP address, never a forwarded value that is not one. See "Behind a
   * proxy" in docs/production.md.
   */
  ...trustedProxies(env.get('TRUST_PROXY')),

  /**
   * Let HTML forms send PUT/PATCH/DELETE through a "_method" query param.
   */
  allowMethodSpoofing: false,

  /**
   * Enabling async local storage will let you access HTTP context
   * from anywhere inside your application.
   */
  useAsyncLocalStorage: false,

  /**
   * Manage cookies configuration. The settings for the session id cookie are
   * defined inside the "config/session.ts" file.
   */
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
})
