import type { ApplicationService } from '@adonisjs/core/types'
import { StoreOutages } from '#kit/errors/src/store_outages'
import { configuredStoreAddress } from '#kit/errors/src/store_address'
import { familyStores } from '#config/session'

/**
 * How often a store that is down is probed (ms).
 */
const PROBE_EVERY_MS = 1000

/**
 * Registers the error-handling services, one instance each per process:
 *
 * - the app's exception handler (app/exceptions/handler.ts), so that the
 *   server and `respond()` (kit/errors/src/respond.ts) share it, and with
 *   it its settings and report throttle;
 * - `StoreOutages`, to which the handler reports unreachable stores.
 */
export default class ErrorHandlingProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(StoreOutages, async (resolver) => {
      const logger = await resolver.make('logger')
      return new StoreOutages(
        {
          redis: async () => {
            const redis = await resolver.make('redis')
            return redis.connection(familyStores.redis.connection).ping()
          },
          database: async () => {
            const db = await resolver.make('lucid.db')
            return db.connection().rawQuery('select 1')
          },
        },
        {
          logger: () => logger,
          probeEveryMs: PROBE_EVERY_MS,
          addresses: {
            redis: () =>
              configuredStoreAddress(this.app.config, 'redis', familyStores.redis.connection),
            database: () =>
              configuredStoreAddress(this.app.config, 'database', familyStores.redis.connection),
          },
        }
      )
    })
  }

  /**
   * The handler is imported here rather than at the top of this file: it
   * loads the HTTP layer, which ace commands never need.
   */
  async boot() {
    const { default: HttpExceptionHandler } = await import('#exceptions/handler')
    this.app.container.singleton(HttpExceptionHandler, () => new HttpExceptionHandler())
  }

  /**
   * Stops the probes of ongoing outages, so that they do not keep running
   * while the app shuts down.
   */
  async shutdown() {
    const outages = await this.app.container.make(StoreOutages)
    outages.stop()
  }
}
