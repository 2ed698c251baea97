import { AuthMiddleware as SessionAuthMiddleware } from '#kit/sessions'

export type { AuthMiddlewareOptions } from '#kit/sessions'

/**
 * Protects routes: `middleware.auth()` (see "start/kernel.ts"), with the
 * options `{ claims, optional }`. The checks (signed-in session, claim
 * validators, `Cache-Control: no-store`) come from the sessions module;
 * override `handle` here to add the app's own.
 */
export default class AuthMiddleware extends SessionAuthMiddleware {}
