import type { Logger } from '@adonisjs/core/logger'
import type { StoreName } from '#kit/errors/src/unavailable_store'

/**
 * How an outage of one store is watched.
 */
export type StoreOutageOptions = {
  /**
   * Resolves when the store answers again (a PING, a SELECT 1). Bounded by
   * the store's own timeouts.
   */
  probe: () => Promise<unknown>
  /**
   * How often the probe runs during an outage (ms).
   */
  probeEveryMs: number
  /**
   * Where the start and the end of an outage are logged.
   */
  logger: () => Logger
  /**
   * Where the store is ("host:port"), named in those lines. Never a
   * password.
   */
  address?: () => string | undefined
}

/**
 * The health of one store (Redis, the database) as requests see it.
 *
 * An outage starts with the first request that fails because the store
 * cannot be reached: that failure is logged, at error level, and no other
 * until the store is back, however many requests fail meanwhile. During
 * the outage the store is probed in the background; the first probe that
 * succeeds ends the outage, with one "is back" line.
 */
export class StoreOutage {
  #since: number | null = null
  #failedRequests = 0
  #probeTimer?: NodeJS.Timeout

  constructor(
    readonly store: StoreName,
    protected options: StoreOutageOptions
  ) {}

  /**
   * True from the first failure until the store answers again.
   */
  get isOngoing() {
    return this.#since !== null
  }

  /**
   * Counts a request that failed because the store cannot be reached; the
   * first one of an outage is logged and starts the probing.
   */
  failed(error: unknown) {
    this.#failedRequests++
    if (this.#since !== null) {
      return
    }

    this.#since = Date.now()
    const logger = this.options.logger()
    const address = this.#address()
    logger.error(
      { event: 'store.unavailable', store: this.store, address, err: error },
      `${this.#named(address)} is unavailable: requests that need it answer 503 until it is back`
    )
    this.#probeLater()
  }

  /**
   * Ends the outage (the store answered), with one log line.
   */
  recovered() {
    if (this.#since === null) {
      return
    }

    const logger = this.options.logger()
    const address = this.#address()
    logger.info(
      {
        event: 'store.recovered',
        store: this.store,
        address,
        downForMs: Date.now() - this.#since,
        failedRequests: this.#failedRequests,
      },
      `${this.#named(address)} is back`
    )
    this.stop()
  }

  /**
   * Forgets the outage and stops probing (at shutdown, and in tests).
   */
  stop() {
    clearTimeout(this.#probeTimer)
    this.#since = null
    this.#failedRequests = 0
  }

  /**
   * The store's address, when known (a failure to work it out never
   * hides the outage).
   */
  #address(): string | undefined {
    try {
      return this.options.address?.()
    } catch {
      return undefined
    }
  }

  /**
   * "redis at 127.0.0.1:6379", or the store's name alone.
   */
  #named(address: string | undefined) {
    return address ? `${this.store} at ${address}` : this.store
  }

  /**
   * Runs the probe after `probeEveryMs`, then again until it succeeds.
   * The timer never keeps the process alive.
   */
  #probeLater() {
    const outage = this.#since
    this.#probeTimer = setTimeout(async () => {
      try {
        await this.options.probe()
      } catch {
        if (this.#since === outage) {
          this.#probeLater()
        }
        return
      }
      if (this.#since === outage) {
        this.recovered()
      }
    }, this.options.probeEveryMs)
    this.#probeTimer.unref()
  }
}
