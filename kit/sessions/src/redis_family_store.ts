import { randomBytes } from 'node:crypto'
import type { RedisConnection } from '@adonisjs/redis'
import { hashToken, successorToken } from '#kit/sessions/src/token_hash'
import {
  REDIS_FAMILY_SCRIPTS,
  type RedisFamilyScript,
} from '#kit/sessions/src/redis_family_scripts'
import { parseSessionData } from '#kit/sessions/src/session_changes'
import { signInMethodsOf } from '#kit/sessions/src/sign_in_record'
import type {
  ResolvedSession,
  SessionChange,
  SessionFamilyStore,
  SessionPolicy,
  SessionSummary,
} from '#kit/sessions/src/types'

/**
 * Session families in Redis, shared by every instance of the app. Each
 * operation is one Lua script (see "redis_family_scripts.ts"), so
 * concurrent requests for the same token, on any instance, agree on one
 * successor and never see a false theft.
 *
 * Keys expire by themselves (Redis TTLs) when their family does: there is
 * nothing to collect, and a session used after it expired is unknown
 * rather than expired. A family revoked for theft keeps a marker, no
 * longer than the family would have lived, so its tokens answer theft
 * again, as with the database store. With theft detection off, a reused
 * token is answered 'stale' and the family is left alone.
 */
export class RedisFamilyStore implements SessionFamilyStore {
  constructor(
    protected connection: RedisConnection,
    protected appKey: string,
    protected keyPrefix = 'sess:'
  ) {
    for (const [name, lua] of Object.entries(REDIS_FAMILY_SCRIPTS)) {
      connection.defineCommand(name, { numberOfKeys: 0, lua })
    }
  }

  async resolve(
    token: string,
    policy: SessionPolicy,
    now: number,
    arrivedAt = now
  ): Promise<ResolvedSession> {
    /**
     * A token rotated again since the request arrived ('moved') leads on
     * to its successor, until the family's current token.
     */
    let presented = token
    let reply: string[] = await this.#resolveOnce(presented, policy, now, arrivedAt)
    while (reply[0] === 'moved') {
      presented = successorToken(presented, this.appKey)
      reply = await this.#resolveOnce(presented, policy, now, arrivedAt)
    }
    const [kind, familyId, userId, data, rotation, lastUsedAt, due] = reply

    switch (kind) {
      case 'active':
        return {
          kind: 'active',
          token: rotation === 'rotated' ? successorToken(presented, this.appKey) : presented,
          rotated: rotation === 'rotated' || presented !== token,
          due: due === 'due',
          familyId,
          userId: userId || null,
          data: parseSessionData(data),
          storedData: data,
          lastUsedAt: Number(lastUsedAt),
        }
      case 'theft':
        return { kind, familyId, userId: userId || null, revokedNow: data === 'revoked now' }
      case 'expired':
      case 'stale':
        return { kind, familyId, userId: userId || null }
      default:
        return { kind: 'unknown' }
    }
  }

  /**
   * One run of the resolve script, for one token.
   */
  #resolveOnce(
    token: string,
    policy: SessionPolicy,
    now: number,
    arrivedAt: number
  ): Promise<string[]> {
    return this.#run(
      'sessionFamilyResolve',
      hashToken(token),
      now,
      policy.rotationIntervalMs,
      policy.graceWindowMs,
      policy.absoluteLifetimeMs,
      policy.theftDetection ? 1 : 0,
      arrivedAt
    )
  }

  async peek(token: string) {
    const data = await this.#run('sessionFamilyPeek', hashToken(token))
    return data === null ? null : parseSessionData(data)
  }

  async create(
    token: string,
    data: Record<string, any>,
    meta: { userId: string | null; userAgent: string | null },
    policy: SessionPolicy,
    now: number
  ) {
    await this.#run(
      'sessionFamilyCreate',
      hashToken(token),
      randomBytes(16).toString('base64url'),
      meta.userId ?? '',
      JSON.stringify(data),
      meta.userAgent?.slice(0, 512) ?? '',
      now,
      now + policy.idleTimeoutMs,
      now + policy.absoluteLifetimeMs
    )
  }

  async write(token: string, change: SessionChange, policy: SessionPolicy, now: number) {
    let { data, userId } = change
    let base = change.base
    for (;;) {
      const [outcome, hops, stored]: [string, number?, string?] = await this.#run(
        'sessionFamilyWrite',
        hashToken(token),
        now,
        now + policy.idleTimeoutMs,
        userId ?? '',
        JSON.stringify(data),
        base
      )
      if (outcome === 'ended') {
        return null
      }
      if (outcome === 'written') {
        return this.#successor(token, hops!)
      }

      /**
       * Another request stored data since: merge, and write again unless
       * yet another request stores first.
       */
      ;({ data, userId } = change.rebase(parseSessionData(stored!)))
      base = stored!
    }
  }

  async touch(token: string, policy: SessionPolicy, now: number) {
    const hops: number = await this.#run(
      'sessionFamilyTouch',
      hashToken(token),
      now,
      now + policy.idleTimeoutMs
    )
    return hops < 0 ? null : this.#successor(token, hops)
  }

  async rotate(token: string, policy: SessionPolicy, now: number, whenDue = false) {
    let current = token
    for (;;) {
      const next = successorToken(current, this.appKey)
      const reply = await this.#run(
        'sessionFamilyRotate',
        hashToken(current),
        hashToken(next),
        now,
        now + policy.idleTimeoutMs,
        whenDue ? policy.rotationIntervalMs : -1
      )
      if (!Array.isArray(reply)) {
        return reply === 'rotated' ? next : reply === 'kept' ? current : null
      }
      current = this.#successor(current, Number(reply[1]))
    }
  }

  /**
   * The token `hops` rotations after `token`.
   */
  #successor(token: string, hops: number) {
    let current = token
    for (let hop = 0; hop < hops; hop++) {
      current = successorToken(current, this.appKey)
    }
    return current
  }

  async destroyFamilyOf(token: string) {
    await this.#run('sessionFamilyDestroyFamilyOf', hashToken(token))
  }

  async destroyFamily(userId: string, familyId: string): Promise<number> {
    return this.#run('sessionFamilyDestroyFamily', userId, familyId)
  }

  async destroyUser(userId: string): Promise<number> {
    return this.#run('sessionFamilyDestroyUser', userId)
  }

  async listUser(userId: string, now: number): Promise<SessionSummary[]> {
    const flat: string[] = await this.#run('sessionFamilyListUser', userId, now)
    const sessions: SessionSummary[] = []
    for (let index = 0; index < flat.length; index += 5) {
      sessions.push({
        familyId: flat[index],
        createdAt: new Date(Number(flat[index + 1])),
        lastUsedAt: new Date(Number(flat[index + 2])),
        userAgent: flat[index + 3] || null,
        signInMethods: signInMethodsOf(parseSessionData(flat[index + 4])),
      })
    }
    return sessions.sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime())
  }

  /**
   * Nothing to do: Redis deletes expired keys itself.
   */
  async collectExpired() {
    return 0
  }

  /**
   * Runs one of the scripts, with the key prefix as its first argument.
   */
  #run(script: RedisFamilyScript, ...args: (string | number)[]): Promise<any> {
    return this.connection.runCommand(script, this.keyPrefix, ...args)
  }
}
