import { randomBytes } from 'node:crypto'
import { test } from '@japa/runner'
import { freePort } from '#kit/runtime/src/first_run/free_port'
import db from '@adonisjs/lucid/services/db'
import { RedisConnection } from '@adonisjs/redis'
import type { PostgreConfig } from '@adonisjs/lucid/types/database'
import redisConfig from '#config/redis'
import dbConfig from '#config/database'
import { unavailableStore } from '#kit/errors/src/unavailable_store'
import ServiceUnavailableException from '#kit/errors/src/exceptions/service_unavailable_exception'
import { RedisFamilyStore } from '#kit/sessions/src/redis_family_store'
import { generateSessionToken } from '#kit/sessions/src/token_hash'
import { TcpProxy, POSTGRES, REDIS, needsServices } from '#kit/testing'

const POLICY = {
  rotationIntervalMs: 900_000,
  graceWindowMs: 30_000,
  idleTimeoutMs: 7_200_000,
  absoluteLifetimeMs: 604_800_000,
  theftDetection: true,
}

/**
 * The error an operation rejects with.
 */
async function errorOf(operation: () => Promise<unknown>): Promise<unknown> {
  try {
    await operation()
  } catch (error) {
    return error
  }
  throw new Error('The operation succeeded')
}

/**
 * A Redis connection with the app's settings ("config/redis.ts") to
 * another port, once its first connection attempt is over.
 */
async function redisConnection(port: number) {
  const connection = new RedisConnection(`errors-${port}`, {
    ...redisConfig.connections.main,
    ...REDIS,
    port,
  })
  await connection.once(['ready', 'error'])
  return connection
}

/**
 * A Lucid connection with the app's PostgreSQL settings
 * ("config/database.ts") to another port.
 */
function postgresConnection(port: number) {
  const name = `errors_${randomBytes(4).toString('hex')}`
  const settings = dbConfig.connections.pg as PostgreConfig
  db.manager.add(name, {
    ...settings,
    connection: { ...(settings.connection as object), ...POSTGRES, port },
  })
  return name
}

/**
 * The errors the real drivers raise in an outage, with the app's timeout
 * settings, are recognised as outages of the right store (hence a 503).
 */
test.group('Multi-node | outage errors of the real drivers', (group) => {
  needsServices(group)

  test('Redis refusing connections', async ({ assert }) => {
    const connection = await redisConnection(await freePort())
    try {
      const store = new RedisFamilyStore(connection, 'k'.repeat(32))
      const error = await errorOf(() => store.resolve(generateSessionToken(), POLICY, Date.now()))

      assert.equal(unavailableStore(error), 'redis')
      assert.equal(ServiceUnavailableException.fromStoreError(error)?.status, 503)
    } finally {
      await connection.disconnect()
    }
  })

  test('Redis not answering (the command timeout)', async ({ assert }) => {
    const proxy = await TcpProxy.start(REDIS)
    const connection = await redisConnection(proxy.port)
    try {
      proxy.hang()
      const store = new RedisFamilyStore(connection, 'k'.repeat(32))
      const error = await errorOf(() => store.resolve(generateSessionToken(), POLICY, Date.now()))

      assert.equal((error as Error).message, 'Command timed out')
      assert.equal(unavailableStore(error), 'redis')
    } finally {
      await connection.disconnect()
      await proxy.close()
    }
  })

  test('PostgreSQL refusing connections', async ({ assert }) => {
    const name = postgresConnection(await freePort())
    try {
      const error = await errorOf(() => db.connection(name).rawQuery('select 1'))

      assert.equal(unavailableStore(error), 'database')
    } finally {
      await db.manager.close(name, true)
    }
  })

  test('PostgreSQL dropping an open connection', async ({ assert }) => {
    const proxy = await TcpProxy.start(POSTGRES)
    const name = postgresConnection(proxy.port)
    try {
      await db.connection(name).rawQuery('select 1')
      await proxy.refuse()
      const error = await errorOf(() => db.connection(name).rawQuery('select 1'))

      assert.equal(unavailableStore(error), 'database')
    } finally {
      await db.manager.close(name, true)
      await proxy.close()
    }
  })

  test('PostgreSQL not answering (the connection timeout)', async ({ assert }) => {
    const proxy = await TcpProxy.start(POSTGRES)
    const name = postgresConnection(proxy.port)
    try {
      proxy.hang()
      const error = await errorOf(() => db.connection(name).rawQuery('select 1'))

      assert.equal(unavailableStore(error), 'database')
    } finally {
      await db.manager.close(name, true)
      await proxy.close()
    }
  })
})
