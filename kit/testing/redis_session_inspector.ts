import type { RedisConnection } from '@adonisjs/redis'
import { type SessionInspector, withStaleClaims } from '#kit/testing/session_inspector'

/**
 * The sessions of a Redis family store (see the key layout in
 * "kit/sessions/src/redis_family_scripts.ts"), under one key prefix.
 */
export class RedisSessionInspector implements SessionInspector {
  constructor(
    protected redis: RedisConnection,
    readonly keyPrefix: string
  ) {}

  /**
   * The keys under the prefix that match `pattern` (a SCAN, so the
   * server is never blocked).
   */
  async keys(pattern = '*'): Promise<string[]> {
    const keys = new Set<string>()
    let cursor = '0'
    do {
      const [next, batch] = await this.redis.scan(
        cursor,
        'MATCH',
        `${this.keyPrefix}${pattern}`,
        'COUNT',
        500
      )
      batch.forEach((key) => keys.add(key))
      cursor = next
    } while (cursor !== '0')
    return [...keys]
  }

  async clear() {
    const keys = await this.keys()
    if (keys.length) {
      await this.redis.unlink(...keys)
    }
  }

  async travel(ms: number) {
    for (const key of await this.keys('token:*')) {
      await this.redis.hincrby(key, 'created_at', -ms)
      if (await this.redis.hexists(key, 'rotated_at')) {
        await this.redis.hincrby(key, 'rotated_at', -ms)
      }
    }
    for (const key of await this.familyKeys()) {
      for (const field of ['created_at', 'last_used_at', 'expires_at', 'ends_at']) {
        await this.redis.hincrby(key, field, -ms)
      }
    }
  }

  async makeDue(ms: number) {
    for (const key of await this.keys('token:*')) {
      if (!(await this.redis.hexists(key, 'successor_id'))) {
        await this.redis.hincrby(key, 'created_at', -ms)
      }
    }
  }

  async ageFamilies(ms: number) {
    for (const key of await this.familyKeys()) {
      await this.redis.hincrby(key, 'created_at', -ms)
    }
  }

  async currentSignedInTokens() {
    let current = 0
    for (const key of await this.familyKeys()) {
      if (!(await this.redis.hget(key, 'user_id'))) {
        continue
      }
      for (const tokenId of await this.redis.smembers(`${key}:tokens`)) {
        const token = `${this.keyPrefix}token:${tokenId}`
        if (
          (await this.redis.exists(token)) &&
          !(await this.redis.hexists(token, 'successor_id'))
        ) {
          current++
        }
      }
    }
    return current
  }

  async staleClaims() {
    for (const key of await this.familyKeys()) {
      const data = await this.redis.hget(key, 'data')
      if (data) {
        await this.redis.hset(key, 'data', withStaleClaims(data))
      }
    }
  }

  /**
   * The family hashes (not their token sets or theft markers).
   */
  async familyKeys() {
    const keys = await this.keys('family:*')
    const start = `${this.keyPrefix}family:`.length
    return keys.filter((key) => !key.slice(start).includes(':'))
  }

  /**
   * The markers of the families revoked for theft.
   */
  theftMarkers() {
    return this.keys('family:*:revoked')
  }
}
