import type { HttpContext } from '@adonisjs/core/http'
import type { StatusPageExtra } from '#kit/errors/src/status_page'

/**
 * Answers an error the way the app's exception handler answers every
 * error: its status pages, its `debug` setting and its formats (HTML,
 * JSON, JSON:API, problem+json), read at request time. Call it from the
 * `handle` method of an exception that handles itself, after the steps of
 * your own, or from a controller that answers with an error:
 *
 *   async handle(error: this, ctx: HttpContext) {
 *     ctx.session.flash('notice', 'Your plan has expired.')
 *     return respond(error, ctx)
 *   }
 *
 * `page` adds values to the status page.
 */
export async function respond(error: unknown, ctx: HttpContext, page?: StatusPageExtra) {
  const handler = await ctx.containerResolver.make('errors.handler')
  return handler.respond(error, ctx, page)
}
