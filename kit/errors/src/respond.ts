import type { HttpContext } from '@adonisjs/core/http'
import HttpExceptionHandler from '#exceptions/handler'

/**
 * Answers an error the way the app's exception handler answers every
 * error: its status pages, its `debug` setting and its formats (HTML,
 * JSON, JSON:API, problem+json), read at request time. Call it from the
 * `handle` method of an exception that handles itself, after the steps of
 * your own:
 *
 *   async handle(error: this, ctx: HttpContext) {
 *     ctx.session.flash('notice', 'Your plan has expired.')
 *     return respond(error, ctx)
 *   }
 */
export async function respond(error: unknown, ctx: HttpContext) {
  const handler = await ctx.containerResolver.make(HttpExceptionHandler)
  return handler.respond(error, ctx)
}
