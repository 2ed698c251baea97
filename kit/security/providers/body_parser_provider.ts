import type { ApplicationService } from '@adonisjs/core/types'
import type { BodyParserConfig } from '@adonisjs/core/types/bodyparser'
import { maxBodyDepth } from '#config/bodyparser'
import BodyParserMiddleware from '#kit/security/src/body_parser_middleware'

/**
 * Makes the kit's body parser middleware one instance for the app's
 * life, built from "config/bodyparser.ts" as @adonisjs/core builds its
 * own. It holds nothing of a request; built for every routed request, its
 * two framework parsers and their settings would cost more than reading
 * a small body.
 */
export default class BodyParserProvider {
  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton(BodyParserMiddleware, () => {
      const config = this.app.config.get<BodyParserConfig>('bodyparser')
      return new BodyParserMiddleware(config, maxBodyDepth)
    })
  }
}
