import logger from '@adonisjs/core/services/logger'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { familyStores } from '#config/session'
import { StoreOutage } from '#errors/store_outage'
import type { StoreName } from '#errors/unavailable_store'

/**
 * How often a store that is down is probed (ms).
 */
const PROBE_EVERY_MS = 1000

/**
 * The outage state of each store requests depend on, with the probe that
 * tells it is back. ServiceUnavailableException reports every failed
 * request here; the logs get one line when an outage starts and one when
 * it ends.
 */
export const storeOutages: Record<StoreName, StoreOutage> = {
  redis: new StoreOutage('redis', {
    probe: () => redis.connection(familyStores.redis.connection).ping(),
    probeEveryMs: PROBE_EVERY_MS,
    logger: () => logger,
  }),
  database: new StoreOutage('database', {
    probe: () => db.connection().rawQuery('select 1'),
    probeEveryMs: PROBE_EVERY_MS,
    logger: () => logger,
  }),
}
