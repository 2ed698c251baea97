import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'

/**
 * The methods a route can be registered for (GET routes answer HEAD too).
 */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/**
 * The methods that have a route for the request's URL (and host), for the
 * `Allow` header of a 405. Empty when the URL has no route at all (a 404).
 * Asked only once the router found no route for the request's method.
 */
export function allowedMethods(ctx: HttpContext): string[] {
  const url = ctx.request.url()
  const method = ctx.request.method()
  const hostname = ctx.request.hostname()
  return METHODS.filter(
    (candidate) => candidate !== method && router.match(url, candidate, false, hostname) !== null
  )
}
