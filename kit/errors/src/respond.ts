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
 * `page` adds values to the status page; `page.view` names a template of
 * its own for this answer (instead of the handler's `statusPages`).
 */
export async function respond(
  error: unknown,
  ctx: HttpContext,
  page?: StatusPageExtra & { view?: string }
) {
  const handler = await ctx.containerResolver.make('errors.handler')
  return handler.respond(error, ctx, page)
}

/**
 * The fields the app's exception handler adds to its own reports (its
 * `context()`: the user, the address, the method and the path), for the
 * `report` method of an exception that reports itself, so that a field
 * added to `context()` reaches every report:
 *
 *   async report(error: this, ctx: HttpContext) {
 *     ctx.logger.warn({ code: error.code, ...(await reportContext(ctx)) }, error.message)
 *   }
 */
export async function reportContext(ctx: HttpContext): Promise<Record<string, unknown>> {
  const handler = await ctx.containerResolver.make('errors.handler')
  return handler.contextOf(ctx)
}
