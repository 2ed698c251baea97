import type { SessionConfig, SessionStoreFactory } from '@adonisjs/session/types'

/**
 * "config/session.ts", resolved.
 */
export type ResolvedSessionConfig = SessionConfig & {
  store: string
  stores: Record<string, SessionStoreFactory>
}

/**
 * The rules sessions live by (see "config/session.ts").
 */
export type SessionPolicy = {
  /**
   * Rotate the token after it has been used this long (ms).
   */
  rotationIntervalMs: number
  /**
   * How long the previous token keeps working after a rotation (ms).
   */
  graceWindowMs: number
  /**
   * Idle timeout: a session unused this long expires (ms).
   */
  idleTimeoutMs: number
  /**
   * Absolute lifetime: a session older than this expires, used or not (ms).
   */
  absoluteLifetimeMs: number
  /**
   * What a rotated token reused after the grace window (or an older one)
   * means. True: theft, the whole family is revoked. False: the token is
   * only refused ('stale'), the family and its current token stay.
   */
  theftDetection: boolean
}

/**
 * What became of the token a request presented.
 */
export type ResolvedSession =
  | {
      kind: 'active'
      /**
       * The token to use from now on: the presented one, or its successor
       * when it was rotated (now or within the grace window).
       */
      token: string
      rotated: boolean
      /**
       * True when the store marked the session used now, with a new idle
       * deadline, as it rotated the token: no touch is needed.
       */
      touched?: boolean
      familyId: string
      userId: string | null
      /**
       * When the family was last marked used (ms since the epoch).
       */
      lastUsedAt: number
      data: Record<string, any>
    }
  | { kind: 'unknown' }
  | { kind: 'expired'; familyId: string; userId: string | null }
  /**
   * A reused token: its family is revoked. `revokedNow` is true for the
   * one resolve that detected the theft and revoked the family, false for
   * every later token of that family (whose user is no longer known).
   */
  | { kind: 'theft'; familyId: string; userId: string | null; revokedNow: boolean }
  /**
   * With theft detection off: a token that no longer opens its family (a
   * rotated token reused after the grace window, an older one, or any
   * token of a family revoked for theft earlier). Refused, nothing
   * revoked.
   */
  | { kind: 'stale'; familyId: string; userId: string | null }

/**
 * A session shown in the list of a user's sessions.
 */
export type SessionSummary = {
  familyId: string
  createdAt: Date
  lastUsedAt: Date
  userAgent: string | null
}

/**
 * Where sessions live. Every token belongs to a family: the chain of
 * tokens one sign-in produced through rotations. Only the newest token of
 * a family is current; the older ones are kept (without data) to
 * recognise their reuse.
 */
export interface SessionFamilyStore {
  /**
   * Looks a token up and, atomically: rotates it when due, lets its
   * immediate predecessor through within the grace window, and revokes the
   * whole family when an older or late token is reused (theft). Every
   * token of a family revoked for theft keeps resolving to theft until it
   * expires (its rows, or its Redis keys), so the other holder learns why
   * too. With `policy.theftDetection` off, such tokens resolve to 'stale'
   * instead and nothing is revoked.
   *
   * A rotated token is judged by when its request arrived (`arrivedAt`,
   * before its body was read; `now` when omitted): current then, or within
   * the grace window while its successor was current, it leads to the
   * family's current token, however many rotations happened since. A
   * family that has ended is 'expired', whatever the token. Rotations,
   * expiry and use are dated `now`.
   */
  resolve(
    token: string,
    policy: SessionPolicy,
    now: number,
    arrivedAt?: number
  ): Promise<ResolvedSession>

  /**
   * The data of a current token, without rotating or touching it (for
   * tests and tools).
   */
  peek(token: string): Promise<Record<string, any> | null>

  /**
   * Starts a new family whose current token is `token`.
   */
  create(
    token: string,
    data: Record<string, any>,
    meta: { userId: string | null; userAgent: string | null },
    policy: SessionPolicy,
    now: number
  ): Promise<void>

  /**
   * Saves the data of a current token.
   */
  write(
    token: string,
    data: Record<string, any>,
    meta: { userId: string | null },
    policy: SessionPolicy,
    now: number
  ): Promise<void>

  /**
   * Marks a current token as used now.
   */
  touch(token: string, policy: SessionPolicy, now: number): Promise<void>

  /**
   * Rotates a current token now; returns its successor.
   */
  rotate(token: string, now: number): Promise<string>

  /**
   * Deletes the family of a token (sign-out).
   */
  destroyFamilyOf(token: string): Promise<void>

  /**
   * Deletes one family of a user ("revoke" in the session list).
   */
  destroyFamily(userId: string, familyId: string): Promise<number>

  /**
   * Deletes every family of a user (sign out everywhere).
   */
  destroyUser(userId: string): Promise<number>

  /**
   * The active sessions of a user.
   */
  listUser(userId: string, now: number): Promise<SessionSummary[]>

  /**
   * Deletes expired sessions.
   */
  collectExpired(policy: SessionPolicy, now: number): Promise<number>
}
