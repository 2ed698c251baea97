import type { ApplicationService } from '@adonisjs/core/types'
import { appKey } from '#config/app'
import { familyStores } from '#config/session'
import { formThrottle, limiterStore } from '#config/limiter'
import { FormThrottle } from '#kit/security/src/form_throttle'

/**
 * Registers the form throttle (kit/security/src/form_throttle.ts) as a
 * singleton, on the limiter of "config/limiter.ts" and its `formThrottle`
 * policy.
 */
export default class FormThrottleProvider {
  constructor(protected app: ApplicationService) {}

  /**
   * With the Redis store, waits for the connection's first attempt to
   * end: commands are not queued while connecting ("config/redis.ts"), so
   * the first sign-ins would otherwise fail. Connection errors are logged
   * once per outage by `StoreOutages`, not by ioredis.
   */
  async #redisReady() {
    const redis = await this.app.container.make('redis')
    redis.doNotLogErrors()
    const connection = redis.connection(familyStores.redis.connection)
    if (connection.status !== 'ready') {
      await connection.once(['ready', 'error', 'end'])
    }
  }

  /**
   * Registering bindings
   */
  register() {
    this.app.container.singleton(FormThrottle, async () => {
      if (limiterStore === 'redis') {
        await this.#redisReady()
      }
      const limiter = await this.app.container.make('limiter.manager')
      return new FormThrottle(limiter, formThrottle, appKey.release())
    })
  }
}
