import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'

/**
 * The methods a route can be registered for (GET routes answer HEAD too).
 */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/**
 * The methods at least one route is registered for (any URL, any domain),
 * read from the committed router. Only these can be in an `Allow`, so a
 * 404 asks the router about them alone (an app without PUT routes never
 * looks for one).
 */
export function routedMethods(): string[] {
  const methods = new Set<string>()
  for (const routes of Object.values(router.toJSON())) {
    for (const route of routes) {
      route.methods.forEach((method) => methods.add(method.toUpperCase()))
    }
  }
  return METHODS.filter((method) => methods.has(method))
}

/**
 * The methods that have a route for the request's URL (and host), for the
 * `Allow` header of a 405, among `candidates` (every method unless the
 * caller knows which have routes: `routedMethods`). Empty when the URL has
 * no route at all (a 404). Asked only once the router found no route for
 * the request's method.
 */
export function allowedMethods(ctx: HttpContext, candidates: string[] = METHODS): string[] {
  const url = ctx.request.url()
  const method = ctx.request.method()
  /**
   * The host matters only to apps with domain routes (the server's own
   * lookup asks the same); finding it parses forwarded headers.
   */
  const hostname = router.usingDomains ? ctx.request.hostname() : undefined
  return candidates.filter(
    (candidate) => candidate !== method && router.match(url, candidate, false, hostname) !== null
  )
}
