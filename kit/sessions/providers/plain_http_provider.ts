import type { ApplicationService } from '@adonisjs/core/types'
import { type HttpsConfig, plainHttpWarning } from '#kit/sessions/src/plain_http'

/**
 * Warns as the production server starts when browsers would reach it over
 * plain HTTP (APP_URL http:, not a loopback host, TLS not ended at a proxy:
 * see `plainHttpWarning`). Without it, sign-in fails with no word but an
 * "Invalid or expired CSRF token" line in the log.
 */
export default class PlainHttpProvider {
  constructor(protected app: ApplicationService) {}

  async ready() {
    const config = this.app.config.get<HttpsConfig | undefined>('https', undefined)
    if (!this.app.inProduction || !config?.cookies.secure) {
      return
    }
    const warning = plainHttpWarning(config)
    if (warning) {
      const logger = await this.app.container.make('logger')
      logger.warn({ event: 'http.plain_http' }, warning)
    }
  }
}
