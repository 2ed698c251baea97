import type { ApplicationService } from '@adonisjs/core/types'
import type { BodyParserConfig } from '@adonisjs/core/types/bodyparser'
import { RuntimeException } from '@adonisjs/core/exceptions'
import type { Secret } from '@adonisjs/core/helpers'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'
import type { ShieldConfig } from '@adonisjs/shield/types'
import type { ResolvedSecurityConfig } from './define_config.js'
import { FormThrottle } from './src/form_throttle.js'
import { PagePolicy } from './src/page_policy.js'
import BodyParserMiddleware from './src/body_parser_middleware.js'
import PublicFilesMiddleware from './src/public_files_middleware.js'
import ResponseHeadersMiddleware from './src/response_headers_middleware.js'

/**
 * Registers the security module's services, one instance each per app,
 * from "config/security.ts" (made with this module's `defineConfig`) and
 * the configs of the packages they wrap:
 *
 * - shield's middleware, made once rather than for every routed request;
 * - the body parser middleware (web and test environments only);
 * - the form throttle, on the limiter of "config/limiter.ts";
 * - the page policy of the pages shield never sees, also as
 *   'errors.page_policy', the binding the errors module applies to every
 *   error response;
 * - the response headers (request id, Referrer-Policy) and public files
 *   middleware.
 *
 * Listed after the shield and limiter providers in "adonisrc.ts": the
 * later binding of shield's middleware wins.
 */
export default class SecurityProvider {
  constructor(protected app: ApplicationService) {}

  /**
   * "config/security.ts".
   */
  get #config(): ResolvedSecurityConfig {
    const config = this.app.config.get<ResolvedSecurityConfig | undefined>('security')
    if (!config) {
      throw new RuntimeException(
        'Missing "config/security.ts" file. Export its settings made with "defineConfig" from "#kit/security"'
      )
    }
    return config
  }

  /**
   * Makes shield's middleware one instance for the app's life.
   *
   * @adonisjs/shield binds its middleware with `container.bind`, so every
   * routed request built it again: an `import("edge.js")`, the CSRF guard,
   * and the CSP directives normalised and checked anew. That was a third of
   * the time of the happy JSON route (docs/performance.md). The middleware
   * holds nothing of a request (only its config, the encrypter and Edge),
   * so one instance serves them all, built the way the package builds it.
   */
  #registerShieldMiddleware() {
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

  /**
   * Makes the body parser middleware one instance for the app's life,
   * built from "config/bodyparser.ts" as @adonisjs/core builds its own.
   * It holds nothing of a request; built for every routed request, its
   * two framework parsers and their settings would cost more than reading
   * a small body. Only where requests are served (web, test).
   */
  #registerBodyParser() {
    const environment = this.app.getEnvironment()
    if (environment !== 'web' && environment !== 'test') {
      return
    }
    this.app.container.singleton(BodyParserMiddleware, () => {
      const config = this.app.config.get<BodyParserConfig>('bodyparser')
      return new BodyParserMiddleware(config, this.#config.maxBodyDepth)
    })
  }

  /**
   * The form throttle, on the limiter of "config/limiter.ts".
   *
   * With the Redis store, waits for the connection's first attempt to
   * end: commands are not queued while connecting ("config/redis.ts"), so
   * the first sign-ins would otherwise fail. Connection errors are logged
   * once per outage by `StoreOutages`, not by ioredis.
   */
  #registerFormThrottle() {
    this.app.container.singleton(FormThrottle, async () => {
      const { formThrottle } = this.#config
      if (formThrottle.redisConnection !== undefined) {
        const redis = await this.app.container.make('redis')
        redis.doNotLogErrors()
        const connection = redis.connection(
          formThrottle.redisConnection as Parameters<typeof redis.connection>[0]
        )
        if (connection.status !== 'ready') {
          await connection.once(['ready', 'error', 'end'])
        }
      }
      const limiter = await this.app.container.make('limiter.manager')
      const appKey = this.app.config.get<Secret<string>>('app.appKey')
      return new FormThrottle(limiter, formThrottle, appKey.release(), formThrottle.accounts)
    })
  }

  register() {
    this.#registerShieldMiddleware()
    this.#registerBodyParser()
    this.#registerFormThrottle()
    this.app.container.singleton(PagePolicy, () => {
      const shield = this.app.config.get<ShieldConfig>('shield', {})
      return new PagePolicy(shield.csp ?? {}, this.#config.referrerPolicy)
    })
    this.app.container.alias('errors.page_policy', PagePolicy)
    this.app.container.singleton(
      ResponseHeadersMiddleware,
      () => new ResponseHeadersMiddleware(this.#config.referrerPolicy)
    )
    this.app.container.singleton(PublicFilesMiddleware, () => new PublicFilesMiddleware(this.app))
  }
}
