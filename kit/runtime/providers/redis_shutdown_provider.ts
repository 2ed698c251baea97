import type { ApplicationService } from '@adonisjs/core/types'
import { closeUnreachableRedis } from '#kit/runtime/src/unreachable_redis'

/**
 * Lets the app shut down cleanly (exit code 0) while Redis cannot be
 * reached: see `closeUnreachableRedis`. Listed after the Redis provider in
 * "adonisrc.ts": providers shut down in reverse order, so this runs
 * first, and the Redis provider then quits only connected connections.
 */
export default class RedisShutdownProvider {
  constructor(protected app: ApplicationService) {}

  async shutdown() {
    if (!this.app.container.hasBinding('redis')) {
      return
    }
    const [redis, logger] = await Promise.all([
      this.app.container.make('redis'),
      this.app.container.make('logger'),
    ])
    closeUnreachableRedis(redis, logger)
  }
}
