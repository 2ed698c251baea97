import lodash from '@poppinss/utils/lodash'
import app from '@adonisjs/core/services/app'
import type { PluginFn } from '@japa/runner/types'
import { SessionFamilies } from '#kit/sessions/src/session_families'
import { generateSessionToken } from '#kit/sessions/src/token_hash'
import { ApiClient, ApiRequest, ApiResponse } from '@japa/api-client'

/**
 * Session data and flash messages read back after a test request.
 */
type SessionBag = { values: Record<string, any>; flashMessages: Record<string, any> }

/**
 * The session a test prepares for one request.
 */
type TestSession = { id: string; values: Record<string, any>; flash: Record<string, any> }

/**
 * The media types a test asks for by name with `.accepting()`.
 */
export const ACCEPT = {
  json: 'application/json',
  jsonapi: 'application/vnd.api+json',
  problem: 'application/problem+json',
  html: 'text/html',
} as const

export type Accepting = keyof typeof ACCEPT

declare module '@japa/api-client' {
  interface ApiRequest {
    sessionClient: TestSession

    /**
     * Send the request with this data in a real session.
     */
    withSession(values: Record<string, any>): this

    /**
     * Send the request with these flash messages in a real session.
     */
    withFlashMessages(values: Record<string, any>): this

    /**
     * Send the request as the holder of this session token (the value of
     * the session cookie, as `signIn()` returns it).
     */
    as(token: string): this

    /**
     * Ask for a JSON, JSON:API, problem+json or HTML answer (the Accept
     * header).
     */
    accepting(kind: Accepting): this
  }

  interface ApiResponse {
    sessionBag: SessionBag

    /**
     * The session data after the request (or one key of it).
     */
    session(key?: string): any

    /**
     * The flash messages set by the request.
     */
    flashMessages(): Record<string, any>

    /**
     * One flash message set by the request.
     */
    flashMessage(key: string): any

    /**
     * Assert the session has the key (and the value, when given).
     */
    assertSession(key: string, value?: any): void

    /**
     * Assert the session does not have the key.
     */
    assertSessionMissing(key: string): void

    /**
     * Assert a flash message exists (with the value, when given).
     */
    assertFlashMessage(key: string, value?: any): void

    /**
     * Assert a flash message does not exist.
     */
    assertFlashMissing(key: string): void

    /**
     * Assert a validation error was flashed for the field.
     */
    assertHasValidationError(field: string): void
  }
}

/**
 * The Japa API client session plugin, on the app's real session store.
 *
 * @adonisjs/session ships one that always uses the memory store and sends
 * its own session cookie with every request; this kit tests against the
 * store it runs with (session families in the database), so it brings its
 * own: same macros (`withSession`, `loginAs` through the auth plugin,
 * `session()`, `flashMessages()`, `assertFlashMessage()`...), real store,
 * and a cookie only when the test put data in the session.
 */
export function sessionApiClient(): PluginFn {
  return async function () {
    const { config, store, policy, userIdKey } = await app.container.make(SessionFamilies)
    const flashKey = '__flash__'

    ApiRequest.getter(
      'sessionClient',
      function (): TestSession {
        return { id: generateSessionToken(), values: {}, flash: {} }
      },
      true
    )
    ApiRequest.macro('withSession', function (this: ApiRequest, data: Record<string, any>) {
      Object.assign(this.sessionClient.values, data)
      return this
    })
    ApiRequest.macro('withFlashMessages', function (this: ApiRequest, data: Record<string, any>) {
      Object.assign(this.sessionClient.flash, data)
      return this
    })

    ApiRequest.macro('as', function (this: ApiRequest, token: string) {
      return this.withCookie(config.cookieName, token)
    })
    ApiRequest.macro('accepting', function (this: ApiRequest, kind: Accepting) {
      return this.header('accept', ACCEPT[kind])
    })

    ApiResponse.macro('session', function (this: ApiResponse, key?: string) {
      return key ? lodash.get(this.sessionBag.values, key) : this.sessionBag.values
    })
    ApiResponse.macro('flashMessages', function (this: ApiResponse) {
      return this.sessionBag.flashMessages
    })
    ApiResponse.macro('flashMessage', function (this: ApiResponse, key: string) {
      return lodash.get(this.sessionBag.flashMessages, key)
    })
    ApiResponse.macro('assertSession', function (this: ApiResponse, key: string, value?: any) {
      this.assert!.property(this.session(), key)
      if (value !== undefined) {
        this.assert!.deepEqual(this.session(key), value)
      }
    })
    ApiResponse.macro('assertSessionMissing', function (this: ApiResponse, key: string) {
      this.assert!.notProperty(this.session(), key)
    })
    ApiResponse.macro('assertFlashMessage', function (this: ApiResponse, key: string, value?: any) {
      this.assert!.property(this.flashMessages(), key)
      if (value !== undefined) {
        this.assert!.deepEqual(this.flashMessage(key), value)
      }
    })
    ApiResponse.macro('assertFlashMissing', function (this: ApiResponse, key: string) {
      this.assert!.notProperty(this.flashMessages(), key)
    })

    ApiResponse.macro('assertHasValidationError', function (this: ApiResponse, field: string) {
      this.assert!.property(this.flashMessage('inputErrorsBag') ?? {}, field)
    })

    ApiClient.onRequest((request) => {
      request.setup(async () => {
        const client = request.sessionClient
        const values = { ...client.values }
        if (Object.keys(client.flash).length) {
          values[flashKey] = client.flash
        }
        if (Object.keys(values).length) {
          const userId = values[userIdKey] === undefined ? null : String(values[userIdKey])
          await store!.create(client.id, values, { userId, userAgent: 'japa' }, policy, Date.now())
          request.withCookie(config.cookieName, client.id)
        }
      })

      request.teardown(async (response) => {
        const cookie = response.cookie(config.cookieName)
        const contents = cookie?.value ? await store!.peek(cookie.value) : null
        const { [flashKey]: flashMessages = {}, ...values } = (contents ?? {}) as Record<
          string,
          any
        >
        response.sessionBag = { values, flashMessages }
      })
    })
  }
}
