import type { ExceptionHandler } from '@adonisjs/core/http'

/**
 * The settings of the errors module (config/errors.ts). The handler's own
 * settings (status pages, debug, reporting) stay on the handler, as
 * protected fields.
 */
export type ErrorsConfig = {
  /**
   * The app's exception handler (the one `start/kernel.ts` gives the
   * server). The provider makes it a container singleton, so that the
   * server and `respond()` share it, and with it its settings and its
   * report throttle.
   */
  handler: () => Promise<{ default: new () => ExceptionHandler }>

  /**
   * The stores requests depend on, probed during an outage until they
   * answer again.
   */
  outages: {
    /**
     * The connection of "config/redis.ts" the sessions use.
     */
    redisConnection: string
    /**
     * How often a store that is down is probed, in milliseconds.
     */
    probeEveryMs: number
  }
}

/**
 * Defines the errors module's config, with its defaults.
 */
export function defineConfig(
  config: Pick<ErrorsConfig, 'handler'> & { outages?: Partial<ErrorsConfig['outages']> }
): ErrorsConfig {
  return {
    handler: config.handler,
    outages: { redisConnection: 'main', probeEveryMs: 1000, ...config.outages },
  }
}
