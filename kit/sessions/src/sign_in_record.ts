import type { Session } from '@adonisjs/session'

/**
 * The session key listing how the session signed in, in order: the
 * methods of its sign-in and of every step after it (a second factor),
 * for example `['password', 'totp']`. Strings chosen by whoever signs the
 * user in ('password', 'totp', 'recovery_code', 'passkey', ...): the kit
 * only keeps them. Shown on the list of a user's sessions
 * (`SessionSummary.signInMethods`).
 */
export const SIGN_IN_METHODS_SESSION_KEY = 'signInMethods'

/**
 * The session key of the last time the session proved who is using it:
 * `{ at, method }` (ms since the epoch; a password, a code, a passkey).
 * What a "recent authentication" claim reads (`RecentAuthClaim`).
 */
export const AUTH_PROOF_SESSION_KEY = 'authProof'

/**
 * A proof kept in the session.
 */
export type AuthProof = { at: number; method: string }

/**
 * Records a new sign-in by `method`: the session's list of methods starts
 * again, and (unless `proof: false`, for a sign-in that proved nothing
 * typed, such as a password reset link) it counts as a proof made now.
 * A proof of an earlier sign-in in the same session is forgotten either
 * way.
 */
export function recordSignIn(
  session: Session,
  method: string,
  options: { proof?: boolean; now?: number } = {}
) {
  session.put(SIGN_IN_METHODS_SESSION_KEY, [method])
  session.forget(AUTH_PROOF_SESSION_KEY)
  if (options.proof !== false) {
    recordAuthProof(session, method, options.now)
  }
}

/**
 * Records a further step of the sign-in (a second factor given): `method`
 * joins the session's list, and counts as a proof made now.
 */
export function recordSignInStep(session: Session, method: string, now = Date.now()) {
  const methods = signInMethodsOf(session.all())
  if (!methods.includes(method)) {
    session.put(SIGN_IN_METHODS_SESSION_KEY, [...methods, method])
  }
  recordAuthProof(session, method, now)
}

/**
 * Records that the session proved who is using it now (a password typed
 * again, a code), without changing how it signed in.
 */
export function recordAuthProof(session: Session, method: string, now = Date.now()) {
  session.put(AUTH_PROOF_SESSION_KEY, { at: now, method } satisfies AuthProof)
}

/**
 * The last proof of a session, or null (none, or not of the expected
 * shape).
 */
export function authProofOf(session: Session): AuthProof | null {
  const proof = session.get(AUTH_PROOF_SESSION_KEY)
  return proof && typeof proof.at === 'number' && typeof proof.method === 'string'
    ? { at: proof.at, method: proof.method }
    : null
}

/**
 * How a session signed in, read from its data (as a store keeps it): the
 * list of method names, empty when none was recorded (a session of an
 * older version).
 */
export function signInMethodsOf(data: Record<string, unknown> | null | undefined): string[] {
  const methods = data?.[SIGN_IN_METHODS_SESSION_KEY]
  return Array.isArray(methods)
    ? methods.filter((method): method is string => typeof method === 'string')
    : []
}
