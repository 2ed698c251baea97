import type { ApplicationService } from '@adonisjs/core/types'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'
import type { ShieldConfig } from '@adonisjs/shield/types'

/**
 * Makes shield's middleware one instance for the app's life.
 *
 * @adonisjs/shield binds its middleware with `container.bind`, so every
 * routed request built it again: an `import("edge.js")`, the CSRF guard,
 * and the CSP directives normalised and checked anew. That was a third of
 * the time of the happy JSON route (docs/performance.md). The middleware
 * holds nothing of a request (only its config, the encrypter and Edge),
 * so one instance serves them all, built the way the package builds it.
 *
 * Listed after shield's own provider in "adonisrc.ts": the later binding
 * wins.
 */
export default class ShieldMiddlewareProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(ShieldMiddleware, async () => {
      const config = this.app.config.get<ShieldConfig>('shield', {})
      const encryption = await this.app.container.make('encryption')
      if (this.app.usingEdgeJS) {
        const { default: edge } = await import('edge.js')
        return new ShieldMiddleware(config, encryption.use(), edge)
      }
      return new ShieldMiddleware(config, encryption.use())
    })
  }
}
