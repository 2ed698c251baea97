/*
|--------------------------------------------------------------------------
| HTTP kernel file
|--------------------------------------------------------------------------
|
| The HTTP kernel file is used to register the middleware with the server
| or the router.
|
*/

import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

/**
 * The error handler is used to convert an exception
 * to an HTTP response.
 */
server.errorHandler(() => import('#exceptions/handler'))

/**
 * The server middleware stack runs middleware on all the HTTP
 * requests, even if there is no route registered for
 * the request URL. The last one answers a URL no route matches
 * (a 404, or a 405 when another method has a route) through the
 * error handler.
 */
server.use([
  () => import('#kit/security/response_headers_middleware'),
  () => import('#middleware/container_bindings_middleware'),
  () => import('#kit/security/public_files_middleware'),
  () => import('#kit/errors/route_not_found_middleware'),
])

/**
 * The router middleware stack runs middleware on all the HTTP
 * requests with a registered route. The arrival time comes first: the
 * session's token is judged by when the request arrived, not by when its
 * body (read by the body parser) ended.
 */
router.use([
  () => import('#kit/sessions/arrival_time_middleware'),
  () => import('#kit/errors/jsonapi_media_type_middleware'),
  () => import('#kit/security/body_parser_middleware'),
  () => import('#middleware/force_json_response_middleware'),
  () => import('#kit/sessions/session_middleware'),
  () => import('@adonisjs/shield/shield_middleware'),
  () => import('@adonisjs/auth/initialize_auth_middleware'),
  () => import('#middleware/silent_auth_middleware'),
])

/**
 * Named middleware collection must be explicitly assigned to
 * the routes or the routes group.
 */
export const middleware = router.named({
  auth: () => import('#middleware/auth_middleware'),
  guest: () => import('#middleware/guest_middleware'),
})
