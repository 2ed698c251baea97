import { createConnection } from 'node:net'
import db from '@adonisjs/lucid/services/db'
import type { Group } from '@japa/runner/core'

/**
 * The Redis server the multinode suite uses.
 */
export const REDIS = { host: '127.0.0.1', port: 6379 }

/**
 * The PostgreSQL server the multinode suite uses (trust authentication).
 * Set PG_USER when "postgres" is not a role there.
 */
export const POSTGRES = {
  host: '127.0.0.1',
  port: 5432,
  database: 'test',
  user: process.env.PG_USER || 'postgres',
}

/**
 * True in CI (CI=true, as CI services and ".ci/run" set it).
 */
export const inCI = !!process.env.CI && !['0', 'false'].includes(process.env.CI.toLowerCase())

/**
 * What to do when a server is missing.
 */
export const HOW_TO_START = [
  `The multinode suite needs Redis on ${REDIS.host}:${REDIS.port} and PostgreSQL on ${POSTGRES.host}:${POSTGRES.port}`,
  `(trust authentication, a database named "test", user "${POSTGRES.user}"). With Docker:`,
  '',
  '  docker run -d --name kit-redis -p 6379:6379 redis:7',
  '  docker run -d --name kit-postgres -p 5432:5432 \\',
  '    -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:16',
  '',
  'then run "npm run test:multinode" again. In CI (CI=true) the suite fails without them.',
].join('\n')

/**
 * Resolves when Redis answers PING.
 */
function pingRedis(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(REDIS)
    socket.setTimeout(2000, () => socket.destroy(new Error('no answer within 2 seconds')))
    socket.once('error', reject)
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (reply) => {
      socket.end()
      reply.toString().startsWith('+PONG')
        ? resolve()
        : reject(new Error(`PING answered ${reply.toString().trim()}`))
    })
  })
}

/**
 * Resolves when PostgreSQL runs a query.
 */
async function queryPostgres(): Promise<void> {
  db.manager.add('multinode_check', {
    client: 'pg',
    connection: POSTGRES,
    pool: { min: 0, max: 1, createTimeoutMillis: 2000, acquireTimeoutMillis: 2000 },
  })
  try {
    await db.connection('multinode_check').rawQuery('select 1')
  } finally {
    await db.manager.close('multinode_check', true)
  }
}

let missing: Promise<string[]> | undefined

/**
 * The servers that do not answer, checked once per run (and explained
 * once on the console).
 */
export function missingServices(): Promise<string[]> {
  missing ??= (async () => {
    const checks = await Promise.allSettled([pingRedis(), queryPostgres()])
    const names = [
      `Redis (${REDIS.host}:${REDIS.port})`,
      `PostgreSQL (${POSTGRES.host}:${POSTGRES.port})`,
    ]
    const problems = checks.flatMap((check, index) =>
      check.status === 'rejected'
        ? [`${names[index]}: ${check.reason?.message ?? check.reason}`]
        : []
    )
    if (problems.length) {
      console.error(`\n${problems.join('\n')}\n\n${HOW_TO_START}\n`)
    }
    return problems
  })()
  return missing
}

/**
 * Makes a group need Redis and PostgreSQL: without them, its setup fails
 * in CI, and elsewhere its tests are skipped (with the instructions
 * printed). Call it first in the group, before its own setup hooks, which
 * should return early when `missingServices()` is not empty.
 */
export function needsServices(group: Group) {
  group.tap((test) => {
    test.skip(async () => {
      const problems = await missingServices()
      return problems.length > 0 && !inCI
    }, 'Redis or PostgreSQL is not running (see above)')
  })
  group.setup(async () => {
    const problems = await missingServices()
    if (problems.length && inCI) {
      throw new Error(`Not reachable in CI:\n${problems.join('\n')}\n\n${HOW_TO_START}`)
    }
  })
}
