import app from '@adonisjs/core/services/app'
import { BaseCheck, Result } from '@adonisjs/core/health'
import type { HealthCheckResult } from '@adonisjs/core/types/health'
import { SessionCollection } from '@adonisjs/session'

/**
 * The session id the check reads. No real session has it (@adonisjs/session
 * makes its ids with `randomUUID()`, and the kit keys sessions by
 * 43-character token hashes), so no real session is ever read or touched.
 */
const PROBE_SESSION_ID = 'readiness-probe'

/**
 * Checks that the session store answers: it reads a session that does not
 * exist through @adonisjs/session's own store, which asks the store a real
 * question (a query on the "sessions" table for the database store, a GET
 * for a Redis store). The cookie store keeps sessions in the browser:
 * there is nothing to reach, so the check passes.
 */
export class SessionStoreCheck extends BaseCheck {
  name = 'Session store check'

  /**
   * `store` is the store in use: the `store` of "config/session.ts";
   * `address` says where it is ("host:port", never a password), named
   * when it does not answer.
   */
  constructor(
    protected store: string,
    protected address?: () => string | undefined
  ) {
    super()
  }

  async run(): Promise<HealthCheckResult> {
    const meta = { store: this.store }
    if (this.store === 'cookie') {
      return Result.ok('Sessions are kept in cookies: no store to reach').mergeMetaData(meta)
    }

    try {
      const sessions = await app.container.make(SessionCollection)
      await sessions.get(PROBE_SESSION_ID)
      return Result.ok(`The "${this.store}" session store answers`).mergeMetaData(meta)
    } catch (error) {
      const address = this.address?.()
      const where = address ? ` at ${address}` : ''
      return Result.failed(
        `The "${this.store}" session store${where} does not answer`,
        error
      ).mergeMetaData(address ? { ...meta, address } : meta)
    }
  }
}
