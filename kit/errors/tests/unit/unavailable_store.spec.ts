import { test } from '@japa/runner'
import { unavailableStore } from '#kit/errors/src/unavailable_store'

/**
 * An Error with extra properties, as drivers raise them.
 */
function driverError(message: string, properties: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), properties)
}

test.group('Errors | store outages', () => {
  test('Redis: {$self}')
    .with([
      "Stream isn't writeable and enableOfflineQueue options is false",
      'Connection is closed.',
      'Command timed out',
    ])
    .run(({ assert }, message) => {
      assert.equal(unavailableStore(driverError(message)), 'redis')
    })

  test('Redis: a MaxRetriesPerRequestError', ({ assert }) => {
    const error = driverError('Reached the max retries per request limit (which is 1).', {
      name: 'MaxRetriesPerRequestError',
    })
    assert.equal(unavailableStore(error), 'redis')
  })

  test('database: socket error {$self}')
    .with(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND'])
    .run(({ assert }, code) => {
      assert.equal(
        unavailableStore(driverError(`connect ${code} 127.0.0.1:5432`, { code })),
        'database'
      )
    })

  test('database: PostgreSQL code {$self}')
    .with(['08006', '08001', '57P01', '57P03', '53300', '57014'])
    .run(({ assert }, code) => {
      assert.equal(unavailableStore(driverError('server says no', { code })), 'database')
    })

  test('database: {$self}')
    .with([
      'select * from "users" where "id" = $1 limit $2 - Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout expired',
      'Query read timeout',
      'Client has encountered a connection error and is not queryable',
    ])
    .run(({ assert }, message) => {
      assert.equal(unavailableStore(driverError(message)), 'database')
    })

  test('database: knex timing out waiting for a connection', ({ assert }) => {
    const error = driverError('Knex: Timeout acquiring a connection. The pool is probably full.', {
      name: 'KnexTimeoutError',
    })
    assert.equal(unavailableStore(error), 'database')
  })

  test('not an outage: {label}')
    .with([
      { label: 'a unique violation', error: driverError('duplicate key', { code: '23505' }) },
      {
        label: 'a SQLite constraint',
        error: driverError('UNIQUE constraint failed', { code: 'SQLITE_CONSTRAINT' }),
      },
      { label: 'a missing row', error: driverError('Row not found', { code: 'E_ROW_NOT_FOUND' }) },
      { label: 'a Redis script error', error: driverError('ERR Error running script') },
      { label: 'a plain error', error: new Error('boom') },
      { label: 'a string', error: 'Connection is closed.' },
      { label: 'null', error: null },
    ])
    .run(({ assert }, { error }) => {
      assert.isNull(unavailableStore(error))
    })
})
