import router from '@adonisjs/core/services/router'
import db from '@adonisjs/lucid/services/db'

/**
 * Routes that exist only when "npm run bench" starts the server (see
 * "kit/bench/server.ts"). The path prefix keeps them apart from the app's.
 */

/**
 * Route 8 of the bench: an unexpected error, answered with the 500 status
 * page and reported to the log (through the reporting throttle).
 */
router.get('/__bench__/boom', () => {
  throw new Error('bench: an unexpected failure')
})

/**
 * What the bench reads before and after the flood: the resident memory of
 * this process and the number of rows in the sessions table.
 */
router.get('/__bench__/stats', async () => {
  const [{ rows }] = await db.from('sessions').count('* as rows')
  return { rss: process.memoryUsage().rss, sessionRows: Number(rows) }
})
