import { defineConfig } from '#kit/errors/define_config'
import { familyStores } from '#config/session'

/**
 * The errors module (kit/errors/README.md). What error responses look
 * like, and what is reported, is set in app/exceptions/handler.ts.
 */
export default defineConfig({
  /**
   * The app's exception handler, as in start/kernel.ts: `respond()` answers
   * through it.
   */
  handler: () => import('#exceptions/handler'),

  /**
   * Redis or the database being down is logged once per outage; meanwhile
   * the store is probed every `probeEveryMs` until it answers.
   */
  outages: {
    redisConnection: familyStores.redis.connection,
    probeEveryMs: 1000,
  },
})
