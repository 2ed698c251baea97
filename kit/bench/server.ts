/*
|--------------------------------------------------------------------------
| The HTTP server, as "bin/server.ts" starts it, plus the bench-only routes
| of "kit/bench/routes.ts". Started by "npm run bench" from the production
| build of the bench (tmp/bench-build/kit/bench/server.js); never by the app.
|--------------------------------------------------------------------------
*/

import 'reflect-metadata'
import { startServerWithRoutes } from '#kit/testing/server_with_routes'

startServerWithRoutes(new URL('../../', import.meta.url), async () => {
  await import('#kit/bench/routes')
})
