import type { ApplicationService } from '@adonisjs/core/types'
import { StoreOutages } from '#kit/errors/src/store_outages'
import type { ErrorsConfig } from '#kit/errors/define_config'
import type { ErrorResponsesHandler } from '#kit/errors/src/error_responses'
import { configuredStoreAddress } from '#kit/errors/src/store_address'
import RouteNotFoundMiddleware from '#kit/errors/src/route_not_found_middleware'

declare module '@adonisjs/core/types' {
  interface ContainerBindings {
    /**
     * The app's exception handler (config/errors.ts `handler`).
     */
    'errors.handler': ErrorResponsesHandler
  }
}

/**
 * Registers the error-handling services, one instance each per process:
 *
 * - the app's exception handler (config/errors.ts `handler`), so that the
 *   server and `respond()` share it, and with it its settings and report
 *   throttle; also as 'errors.handler';
 * - `StoreOutages`, to which the handler reports unreachable stores;
 * - the route-not-found middleware, on the app's router.
 */
export default class ErrorsProvider {
  constructor(protected app: ApplicationService) {}

  #config(): ErrorsConfig {
    return this.app.config.get<ErrorsConfig>('errors')
  }

  register() {
    this.app.container.singleton(StoreOutages, async (resolver) => {
      const { outages } = this.#config()
      const logger = await resolver.make('logger')
      return new StoreOutages(
        {
          redis: async () => {
            const redis = await resolver.make('redis')
            return redis.connection(outages.redisConnection as any).ping()
          },
          database: async () => {
            const db = await resolver.make('lucid.db')
            return db.connection().rawQuery('select 1')
          },
        },
        {
          logger: () => logger,
          probeEveryMs: outages.probeEveryMs,
          addresses: {
            redis: () => configuredStoreAddress(this.app.config, 'redis', outages.redisConnection),
            database: () =>
              configuredStoreAddress(this.app.config, 'database', outages.redisConnection),
          },
        }
      )
    })
    this.app.container.singleton(
      RouteNotFoundMiddleware,
      async (resolver) => new RouteNotFoundMiddleware(await resolver.make('router'))
    )
  }

  /**
   * The handler is imported here rather than at the top of this file: it
   * loads the HTTP layer, which ace commands never need.
   */
  async boot() {
    const { default: Handler } = await this.#config().handler()
    this.app.container.singleton(Handler, () => new Handler())
    this.app.container.alias('errors.handler', Handler as any)
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
