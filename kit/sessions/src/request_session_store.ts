import type { SessionStoreContract, SessionData } from '@adonisjs/session/types'
import { generateSessionToken, isWellFormedToken } from '#kit/sessions/src/token_hash'
import { parseSessionData, rebaseSessionData } from '#kit/sessions/src/session_changes'
import type {
  ResolvedSession,
  SessionChange,
  SessionFamilyStore,
  SessionPolicy,
} from '#kit/sessions/src/types'

/**
 * The session store @adonisjs/session's `Session` uses during one request.
 *
 * `Session` reads and writes by the id it knows (the cookie's token, or a
 * new random id). This store knows better: it resolved the cookie's token
 * through the family store first, so it reads the right data (the
 * successor's after a rotation), writes a brand-new token for any new or
 * regenerated session (a planted or unknown token is never reused), and
 * tells the session middleware which token the cookie must carry.
 *
 * A token due for rotation is rotated as the request ends, just before
 * its response hands the new one out: a slow request that rotated as it
 * began would keep the new token to itself for seconds, while the
 * browser's other requests used the old one past its grace window.
 *
 * Another request of the same browser may rotate the token, or store
 * session data, while this one runs. This request's writes and touches
 * then go to the family's current token, its changes merged with the
 * other request's (see `rebaseSessionData`), and its response carries
 * that current token, never the rotated one the request began with: the
 * browser would present it later, which is theft once its grace window
 * has passed. When the family ended meanwhile (signed out in another
 * tab), nothing is written and the cookie is left alone (`leavesCookie`).
 */
export class RequestSessionStore implements SessionStoreContract {
  /**
   * The token the cookie must carry after this request (null: none).
   */
  token: string | null = null

  /**
   * True when the response must not set the session cookie: another
   * request ended the family while this one ran.
   */
  leavesCookie = false

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
    protected now: () => number = Date.now,
    /**
     * The session key of flash messages (`Session#flashKey`), merged
     * message by message when two requests flash at once.
     */
    protected flashKey = '__flash__'
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
    const userId = this.#userIdOf(values)

    if (sessionId === this.#incoming && this.token && this.resolved.kind === 'active') {
      const ours = await this.#rotateWhenDue(this.token, now)
      this.#settle(
        ours && (await this.families.write(ours, this.#change(values), this.policy, now))
      )
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
    if (sessionId !== this.#incoming || !this.token || this.resolved.kind !== 'active') {
      return
    }
    const now = this.now()
    if (this.#rotationRequested || this.resolved.due) {
      this.#settle(await this.#rotateWhenDue(this.token, now))
    } else if (!this.#touchedRecently()) {
      this.#settle(await this.families.touch(this.token, this.policy, now))
    }
  }

  /**
   * The family's current token once rotated: always when the request
   * asked for it, else when the token is due (unless another request
   * rotated it meanwhile). A rotation marks the family used.
   */
  async #rotateWhenDue(token: string, now: number) {
    if (this.#rotationRequested) {
      return this.families.rotate(token, this.policy, now)
    }
    if (this.resolved.kind === 'active' && this.resolved.due) {
      return this.families.rotate(token, this.policy, now, true)
    }
    return token
  }

  /**
   * Notes the family's current token after the commit: the cookie
   * carries it. None (the family ended meanwhile: signed out, revoked):
   * the cookie is left as the browser has it.
   */
  #settle(current: string | null) {
    this.token = current
    this.leavesCookie = current === null
  }

  /**
   * This request's data, and how to merge its changes into data another
   * request stored after this one read the session.
   */
  #change(values: Record<string, any>): SessionChange {
    const read = (this.resolved as Extract<ResolvedSession, { kind: 'active' }>).storedData
    return {
      base: read,
      data: values,
      userId: this.#userIdOf(values),
      rebase: (current) => {
        const data = rebaseSessionData(parseSessionData(read), values, current, this.flashKey)
        return { data, userId: this.#userIdOf(data) }
      },
    }
  }

  #userIdOf(values: Record<string, any>) {
    const signedIn = values[this.userIdKey]
    return signedIn === undefined || signedIn === null ? null : String(signedIn)
  }

  /**
   * True when the session the request came with stays as it is: same
   * token, not due for rotation, no rotation asked for, and its idle
   * deadline moved a moment ago (see `#touchedRecently`). Its cookie
   * already carries the token, and its expiry moves when the deadline
   * does, so the response need not set it again.
   */
  get isSettled() {
    return (
      this.resolved.kind === 'active' &&
      !this.resolved.due &&
      this.token === this.#incoming &&
      !this.#rotationRequested &&
      this.#touchedRecently()
    )
  }

  /**
   * True when the session was marked used a moment ago (within a tenth of
   * the idle timeout, at most a minute): marking it again would move its
   * idle deadline by that little at the cost of a write on every request.
   * A token the request was led to from a rotated one is always touched:
   * that touch finds whether it is still current before the response
   * hands it out.
   */
  #touchedRecently() {
    if (this.resolved.kind !== 'active' || this.resolved.rotated) {
      return false
    }
    const interval = Math.min(60_000, this.policy.idleTimeoutMs / 10)
    return this.now() - this.resolved.lastUsedAt < interval
  }
}
