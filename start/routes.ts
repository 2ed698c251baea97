/*
|--------------------------------------------------------------------------
| Routes file
|--------------------------------------------------------------------------
|
| The routes file is used for defining the HTTP routes.
|
*/

import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { role } from '#claims/role_claim'
import { emailVerified } from '#claims/email_verified_claim'

const HomeController = () => import('#controllers/home_controller')
const SessionController = () => import('#controllers/session_controller')
const AccountController = () => import('#controllers/account_controller')
const SessionsController = () => import('#controllers/sessions_controller')

router.get('/', [HomeController, 'show']).as('home')

/**
 * Signing in and out.
 */
router
  .group(() => {
    router.get('/login', [SessionController, 'create']).as('session.create')
    router.post('/login', [SessionController, 'store']).as('session.store')
  })
  .use(middleware.guest())

router.post('/logout', [SessionController, 'destroy']).as('session.destroy')
router
  .post('/logout/all', [SessionController, 'destroyAll'])
  .as('session.destroy_all')
  .use(middleware.auth())

/**
 * Pages behind sign-in, each with its own requirements.
 */
router.get('/dashboard', [AccountController, 'dashboard']).as('dashboard').use(middleware.auth())
router
  .get('/admin', [AccountController, 'admin'])
  .as('admin')
  .use(middleware.auth({ claims: (global) => [...global, role.includes('admin')] }))
router
  .get('/billing', [AccountController, 'billing'])
  .as('billing')
  .use(middleware.auth({ claims: (global) => [...global, emailVerified.isTrue()] }))

router
  .group(() => {
    router.get('/sessions', [SessionsController, 'index']).as('sessions.index')
    router.post('/sessions/:id/revoke', [SessionsController, 'destroy']).as('sessions.destroy')
  })
  .use(middleware.auth())

/**
 * JSON API (answered in JSON by default: see force_json_response_middleware).
 */
router
  .group(() => {
    router.get('/me', [AccountController, 'me']).as('api.me').use(middleware.auth())
  })
  .prefix('/api')

/*
|--------------------------------------------------------------------------
| Health checks, for load balancers (app/controllers/health_controller.ts)
|--------------------------------------------------------------------------
*/
const HealthController = () => import('#controllers/health_controller')

router.get('/health', [HealthController, 'live']).as('health.live')
router.get('/health/ready', [HealthController, 'ready']).as('health.ready')
