import type { SessionConfig, SessionStoreFactory } from '@adonisjs/session/types'

/**
 * "config/session.ts", resolved.
 */
export type ResolvedSessionConfig = SessionConfig & {
  store: string
  stores: Record<string, SessionStoreFactory>
  /**
   * The cookie of the CSRF secret of visitors without a stored session
   * (`csrfCookieName` of the session security config).
   */
  csrfCookieName: string
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
       * The token to use from now on: the presented one, or the family's
       * current token when the presented one was rotated (a request that
       * arrived within its grace window).
       */
      token: string
      /**
       * True when `token` is not the presented token.
       */
      rotated: boolean
      /**
       * True when the token has been in use for the rotation interval: it
       * is rotated as the request ends, just before its response hands
       * the new one out (see `SessionFamilyStore#rotate`).
       */
      due: boolean
      familyId: string
      userId: string | null
      /**
       * When the family was last marked used (ms since the epoch).
       */
      lastUsedAt: number
      data: Record<string, any>
      /**
       * The data as stored (JSON): what a later write compares with to see
       * whether another request changed the session meanwhile.
       */
      storedData: string
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
 * What a request writes to its session: its data, and how to apply its
 * changes to data that another request stored after this one read it.
 */
export type SessionChange = {
  /**
   * The data as stored (JSON) when the request read it.
   */
  base: string
  /**
   * The data to store when the stored data is still `base`.
   */
  data: Record<string, any>
  /**
   * The signed-in user of `data`.
   */
  userId: string | null
  /**
   * The data to store when another request stored `current` since: this
   * request's changes applied to it (see `rebaseSessionData`).
   */
  rebase(current: Record<string, any>): { data: Record<string, any>; userId: string | null }
}

/**
 * A session shown in the list of a user's sessions.
 */
export type SessionSummary = {
  familyId: string
  createdAt: Date
  lastUsedAt: Date
  userAgent: string | null
  /**
   * How the session signed in (`recordSignIn`, `recordSignInStep`): its
   * method names in order, empty when none was recorded.
   */
  signInMethods: string[]
}

/**
 * Where sessions live. Every token belongs to a family: the chain of
 * tokens one sign-in produced through rotations. Only the newest token of
 * a family is current; the older ones are kept (without data) to
 * recognise their reuse.
 */
export interface SessionFamilyStore {
  /**
   * Looks a token up and, atomically: says whether it is due for
   * rotation, lets its immediate predecessor through within the grace
   * window, and revokes the whole family when an older or late token is
   * reused (theft). Every token of a family revoked for theft keeps resolving to theft until it
   * expires (its rows, or its Redis keys), so the other holder learns why
   * too. With `policy.theftDetection` off, such tokens resolve to 'stale'
   * instead and nothing is revoked.
   *
   * A rotated token is judged by when its request arrived (`arrivedAt`,
   * before its body was read; `now` when omitted): current then, or within
   * the grace window while its successor was current, it leads to the
   * family's current token, however many rotations happened since. A
   * family that has ended is 'expired', whatever the token. Expiry is
   * dated `now`.
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
   * Saves a request's session data to its family's current token: `token`
   * itself, or, when another request rotated it meanwhile, the newest of
   * its successors. When another request stored data since this one read
   * it, `change.rebase` merges the two. Returns the token written to;
   * null when the family has ended (signed out, revoked, expired): the
   * write is dropped.
   */
  write(
    token: string,
    change: SessionChange,
    policy: SessionPolicy,
    now: number
  ): Promise<string | null>

  /**
   * Marks a family used now, through its current token (`token` or its
   * newest successor). Returns that token; null when the family has
   * ended.
   */
  touch(token: string, policy: SessionPolicy, now: number): Promise<string | null>

  /**
   * Rotates a family's current token (`token` or its newest successor)
   * now, and marks the family used. With `whenDue`, only when that token
   * is due for rotation: one that another request rotated meanwhile is
   * not rotated again. Returns the family's current token afterwards; null
   * when the family has ended.
   *
   * A request rotates its due token as it ends, not as it begins: a slow
   * request must not make a new token that only its own response, seconds
   * later, hands out, while the browser's other requests still use the
   * old one past its grace window.
   */
  rotate(
    token: string,
    policy: SessionPolicy,
    now: number,
    whenDue?: boolean
  ): Promise<string | null>

  /**
   * Deletes the family of a token (sign-out).
   *
   * This and the two below, and the revocation of a family for theft, end
   * every token of the families they reach, whatever rotations run at the
   * same time: no successor inserted concurrently survives them.
   */
  destroyFamilyOf(token: string): Promise<void>

  /**
   * Deletes one family of a user ("revoke" in the session list).
   */
  destroyFamily(userId: string, familyId: string): Promise<number>

  /**
   * Deletes every family of a user (sign out everywhere, password reset).
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
