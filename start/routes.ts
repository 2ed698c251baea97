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

const HomeController = () => import('#controllers/home_controller')
const SessionController = () => import('#controllers/session_controller')

router.get('/', [HomeController, 'show']).as('home')

router
  .group(() => {
    router.get('/login', [SessionController, 'create']).as('session.create')
    router.post('/login', [SessionController, 'store']).as('session.store')
  })
  .use(middleware.guest())

router.post('/logout', [SessionController, 'destroy']).as('session.destroy')

/*
|--------------------------------------------------------------------------
| Health checks, for load balancers (app/controllers/health_controller.ts)
|--------------------------------------------------------------------------
*/
const HealthController = () => import('#controllers/health_controller')

router.get('/health', [HealthController, 'live']).as('health.live')
router.get('/health/ready', [HealthController, 'ready']).as('health.ready')
