import type { Logger } from '@adonisjs/core/logger'
import { StoreOutage } from '#kit/errors/src/store_outage'
import type { StoreName } from '#kit/errors/src/unavailable_store'

/**
 * The outage state of each store requests depend on (Redis, the
 * database), each with the probe that tells it is back. The exception
 * handler reports every E_SERVICE_UNAVAILABLE here instead of logging it:
 * the logs get one line when an outage starts and one when it ends.
 *
 * One instance per process, from the container (see
 * "kit/errors/provider.ts").
 */
export class StoreOutages {
  #outages: Record<StoreName, StoreOutage>

  constructor(
    probes: Record<StoreName, () => Promise<unknown>>,
    options: {
      logger: () => Logger
      probeEveryMs: number
      /**
       * Where each store is ("host:port"), for the log lines.
       */
      addresses?: Partial<Record<StoreName, () => string | undefined>>
    }
  ) {
    const { addresses = {}, ...shared } = options
    this.#outages = {
      redis: new StoreOutage('redis', {
        ...shared,
        probe: probes.redis,
        address: addresses.redis,
      }),
      database: new StoreOutage('database', {
        ...shared,
        probe: probes.database,
        address: addresses.database,
      }),
    }
  }

  /**
   * The outage of one store.
   */
  of(store: StoreName): StoreOutage {
    return this.#outages[store]
  }

  /**
   * Counts a request that failed because `store` cannot be reached.
   */
  failed(store: StoreName, cause: unknown) {
    this.#outages[store].failed(cause)
  }

  /**
   * Forgets every outage and stops probing (at shutdown, and in tests).
   */
  stop() {
    Object.values(this.#outages).forEach((outage) => outage.stop())
  }
}
