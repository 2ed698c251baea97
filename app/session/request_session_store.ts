import type { SessionStoreContract, SessionData } from '@adonisjs/session/types'
import { generateSessionToken, isWellFormedToken } from '#session/session_token'
import type { ResolvedSession, SessionFamilyStore, SessionPolicy } from '#session/types'

/**
 * The session store @adonisjs/session's `Session` uses during one request.
 *
 * `Session` reads and writes by the id it knows (the cookie's token, or a
 * new random id). This store knows better: it resolved the cookie's token
 * through the family store first, so it reads the right data (the
 * successor's after a rotation), writes a brand-new token for any new or
 * regenerated session (a planted or unknown token is never reused), and
 * tells the session middleware which token the cookie must carry.
 */
export class RequestSessionStore implements SessionStoreContract {
  /**
   * The token the cookie must carry after this request (null: none).
   */
  token: string | null = null

  /**
   * What became of the token the request presented.
   */
  resolved: ResolvedSession | { kind: 'none' } | { kind: 'invalid' } = { kind: 'none' }

  /**
   * True when the request carried a session cookie (valid or not): a
   * session that ends must clear it.
   */
  cookieWasSent = false

  /**
   * True when the response hands out the CSRF token other than in its
   * body (see `keepCsrfSecret`).
   */
  csrfSecretKept = false

  #incoming: string | null = null
  #rotationRequested = false

  constructor(
    protected families: SessionFamilyStore,
    protected policy: SessionPolicy,
    /**
     * The session key holding the signed-in user id (the session guard's
     * `sessionKeyName`): families are indexed by that user.
     */
    protected userIdKey: string,
    protected meta: { userAgent: string | null },
    protected now: () => number = Date.now
  ) {}

  /**
   * Resolves the token from the cookie (undefined: no cookie, or a cookie
   * whose signature did not verify), as of when the request arrived
   * (`arrivedAt`, ms since the epoch; now when unknown).
   */
  async resolve(cookieValue: string | undefined, cookieWasSent: boolean, arrivedAt?: number) {
    this.cookieWasSent = cookieWasSent
    if (cookieValue === undefined) {
      this.resolved = { kind: cookieWasSent ? 'invalid' : 'none' }
      return this.resolved
    }
    if (!isWellFormedToken(cookieValue)) {
      this.resolved = { kind: 'invalid' }
      return this.resolved
    }

    this.#incoming = cookieValue
    const now = this.now()
    this.resolved = await this.families.resolve(
      cookieValue,
      this.policy,
      now,
      Math.min(arrivedAt ?? now, now)
    )
    if (this.resolved.kind === 'active') {
      this.token = this.resolved.token
    }
    return this.resolved
  }

  /**
   * Notes that this response hands out the CSRF token other than in its
   * body (a header, a stream), so its secret must be kept: in the CSRF
   * cookie when there is no stored session (see `settleCsrfSecret`).
   */
  keepCsrfSecret() {
    this.csrfSecretKept = true
  }

  /**
   * True when the request has no stored session (its session is new): a
   * session holding only shield's CSRF secret need not be stored.
   */
  get isDisposable() {
    return this.resolved.kind !== 'active'
  }

  /**
   * Asks for a new token in the same family at the end of the request
   * (privileges changed). The old token stays usable for the grace window.
   */
  requestRotation() {
    this.#rotationRequested = true
  }

  async read(sessionId: string): Promise<SessionData | null> {
    if (sessionId === this.#incoming && this.resolved.kind === 'active') {
      return this.resolved.data
    }
    return null
  }

  async write(sessionId: string, values: Record<string, any>) {
    const now = this.now()
    const signedIn = values[this.userIdKey]
    const userId = signedIn === undefined ? null : String(signedIn)

    if (sessionId === this.#incoming && this.token) {
      if (this.#rotationRequested) {
        this.token = await this.families.rotate(this.token, now)
      }
      await this.families.write(this.token, values, { userId }, this.policy, now)
      return
    }

    this.token = generateSessionToken()
    await this.families.create(
      this.token,
      values,
      { userId, userAgent: this.meta.userAgent },
      this.policy,
      now
    )
    if (Math.random() < 0.02) {
      await this.families.collectExpired(this.policy, now)
    }
  }

  async destroy(_sessionId: string) {
    if (this.token) {
      await this.families.destroyFamilyOf(this.token)
    }
    this.token = null
  }

  async touch(sessionId: string) {
    if (sessionId === this.#incoming && this.token) {
      if (this.#rotationRequested) {
        this.token = await this.families.rotate(this.token, this.now())
      } else if (this.#touchedRecently()) {
        return
      }
      await this.families.touch(this.token, this.policy, this.now())
    }
  }

  /**
   * True when the session the request came with stays as it is: same
   * token, no rotation asked for, and its idle deadline moved a moment ago
   * (see `#touchedRecently`). Its cookie already carries the token, and its
   * expiry moves when the deadline does, so the response need not set it
   * again.
   */
  get isSettled() {
    return (
      this.resolved.kind === 'active' &&
      this.token === this.#incoming &&
      !this.#rotationRequested &&
      this.#touchedRecently()
    )
  }

  /**
   * True when the session was marked used a moment ago (within a tenth of
   * the idle timeout, at most a minute), or by the rotation of this
   * request: marking it again would move its idle deadline by that little
   * at the cost of a write on every request.
   */
  #touchedRecently() {
    if (this.resolved.kind !== 'active') {
      return false
    }
    if (this.resolved.touched) {
      return true
    }
    if (this.resolved.rotated) {
      return false
    }
    const interval = Math.min(60_000, this.policy.idleTimeoutMs / 10)
    return this.now() - this.resolved.lastUsedAt < interval
  }
}
