/*
|--------------------------------------------------------------------------
| Routes file
|--------------------------------------------------------------------------
|
| The routes file is used for defining the HTTP routes. Controllers come
| from the barrel file ".adonisjs/server/controllers.ts", which the dev
| server, the test runner and "node ace build" keep in sync with
| "app/controllers/" (a new controller appears there by itself; run
| "node ace codegen" to refresh it by hand). Each is imported lazily, on
| its route's first request.
|
*/

import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'
import { role } from '#claims/role_claim'
import { emailVerified } from '#claims/email_verified_claim'

router.get('/', [controllers.Home, 'show']).as('home')

/**
 * Signing in and out.
 */
router
  .group(() => {
    router.get('/login', [controllers.SignIn, 'create']).as('session.create')
    router.post('/login', [controllers.SignIn, 'store']).as('session.store')
  })
  .use(middleware.guest())

router.post('/logout', [controllers.SignIn, 'destroy']).as('session.destroy')
router
  .post('/logout/all', [controllers.SignIn, 'destroyAll'])
  .as('session.destroy_all')
  .use(middleware.auth())

/**
 * Pages behind sign-in, each with its own requirements.
 */
router.get('/dashboard', [controllers.Account, 'dashboard']).as('dashboard').use(middleware.auth())
router
  .get('/admin', [controllers.Account, 'admin'])
  .as('admin')
  .use(middleware.auth({ claims: (global) => [...global, role.includes('admin')] }))
router
  .get('/billing', [controllers.Account, 'billing'])
  .as('billing')
  .use(middleware.auth({ claims: (global) => [...global, emailVerified.isTrue()] }))

router
  .group(() => {
    router.get('/sessions', [controllers.Devices, 'index']).as('sessions.index')
    router.post('/sessions/:id/revoke', [controllers.Devices, 'destroy']).as('sessions.destroy')
  })
  .use(middleware.auth())

/**
 * JSON API (answered in JSON by default: see force_json_response_middleware).
 */
router
  .group(() => {
    router.get('/me', [controllers.Account, 'me']).as('api.me').use(middleware.auth())
  })
  .prefix('/api')

/*
|--------------------------------------------------------------------------
| Health checks, for load balancers (app/controllers/health_controller.ts)
|--------------------------------------------------------------------------
*/
router.get('/health', [controllers.Health, 'live']).as('health.live')
router.get('/health/ready', [controllers.Health, 'ready']).as('health.ready')
