/*
|--------------------------------------------------------------------------
| Health checks
|--------------------------------------------------------------------------
|
| The readiness checks behind "GET /health/ready": what this instance needs
| to serve requests. A load balancer sends it traffic only while they all
| pass. Add one check per service the app depends on, for example
| `new RedisCheck(redis.connection())` from "@adonisjs/redis" once Redis is
| in use, or a `DbCheck` per extra database connection.
|
| "GET /health" (liveness) runs no check: it answers as long as the
| process can serve HTTP.
|
*/

import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { HealthChecks } from '@adonisjs/core/health'
import { DbCheck } from '@adonisjs/lucid/database'
import env from '#start/env'
import { familyStores } from '#config/session'
import { configuredStoreAddress } from '#kit/errors'
import { SessionStoreCheck } from '#kit/sessions'
import { PendingMigrationsCheck } from '#kit/runtime/health'

export const readinessChecks = new HealthChecks().register([
  new DbCheck(db.connection()),
  new SessionStoreCheck(env.get('SESSION_DRIVER'), () =>
    configuredStoreAddress(
      app.config,
      env.get('SESSION_DRIVER') === 'redis' ? 'redis' : 'database',
      familyStores.redis.connection
    )
  ),
  new PendingMigrationsCheck(),
])
