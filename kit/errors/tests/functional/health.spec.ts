import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { configProvider } from '@adonisjs/core'
import { SessionCollection, stores } from '@adonisjs/session'
import { AppProcess, TempDatabase } from '#kit/testing'
import { SessionStoreCheck } from '#kit/sessions/src/session_store_check'

const CHECK_NAMES = ['Database health check (sqlite)', 'Session store check', 'Migrations check']

test.group('Faults | health endpoints', (group) => {
  let database: TempDatabase

  group.each.setup(async () => {
    database = await TempDatabase.create()
    return () => database.destroy()
  })

  test('GET /health is 200; GET /health/ready checks the database and the session store', async ({
    assert,
  }) => {
    const server = await AppProcess.start({
      SESSION_DRIVER: 'database',
      DB_SQLITE_FILE: database.file,
    })
    try {
      const live = await server.fetch('/health')
      assert.equal(live.status, 200)
      assert.match(live.headers.get('content-type')!, /^application\/json/)
      assert.deepEqual(await live.json(), { status: 'ok' })

      const ready = await server.fetch('/health/ready')
      assert.equal(ready.status, 200)
      assert.deepEqual(await ready.json(), {
        status: 'ok',
        checks: CHECK_NAMES.map((name) => ({ name, status: 'ok' })),
      })
    } finally {
      await server.stop()
    }
  })

  test('the database cannot be opened: /health/ready is 503, /health stays 200', async ({
    assert,
  }) => {
    /**
     * A folder is no SQLite file: every connection attempt fails, for the
     * app's queries and for the session store (which lives in it).
     */
    const server = await AppProcess.start({
      SESSION_DRIVER: 'database',
      DB_SQLITE_FILE: database.directory,
    })
    try {
      const ready = await server.fetch('/health/ready', {
        headers: { 'x-request-id': 'req-not-ready' },
      })
      const text = await ready.text()
      assert.equal(ready.status, 503)
      assert.deepEqual(JSON.parse(text), {
        status: 'error',
        checks: [
          { name: CHECK_NAMES[0], status: 'error' },
          { name: CHECK_NAMES[1], status: 'error' },
          { name: CHECK_NAMES[2], status: 'error' },
        ],
      })
      assert.notMatch(text, /sqlite_|unable to open|starter-kit-faults/i)

      const live = await server.fetch('/health')
      assert.equal(live.status, 200)

      await server.waitForOutput(/req-not-ready.*not ready/)
      const line = server
        .logLines()
        .find((entry) => entry.request_id === 'req-not-ready' && /^not ready/.test(entry.msg))!
      assert.equal(line.level, 40)
      assert.equal(line.check, CHECK_NAMES[0])
      assert.include(line.err.message, 'unable to open database file')
    } finally {
      await server.stop()
    }
  })
})

test.group('Faults | session store check', (group) => {
  group.each.teardown(() => app.container.restore(SessionCollection))

  /**
   * Makes the app's SessionCollection use the database store on `database`.
   */
  async function useDatabaseStoreOn(database: TempDatabase) {
    const store = await configProvider.resolve<any>(
      app,
      stores.database({ connectionName: database.connectionName })
    )
    app.container.swap(
      SessionCollection,
      () =>
        new SessionCollection({ age: '2h', store: 'database', stores: { database: store } } as any)
    )
  }

  test('passes when the sessions table answers', async ({ assert }) => {
    const database = await TempDatabase.create()
    try {
      await useDatabaseStoreOn(database)
      const result = await new SessionStoreCheck('database').run()
      assert.equal(result.status, 'ok')
      assert.deepEqual(result.meta, { store: 'database' })
    } finally {
      await database.destroy()
    }
  })

  test('fails when the sessions table is missing', async ({ assert }) => {
    const database = await TempDatabase.create({ migrate: false })
    try {
      await useDatabaseStoreOn(database)
      const result = await new SessionStoreCheck('database').run()
      assert.equal(result.status, 'error')
      assert.equal(result.message, 'The "database" session store does not answer')
      assert.include(result.meta!.error.message, 'no such table: sessions')
    } finally {
      await database.destroy()
    }
  })

  test('passes for the cookie store, which has nothing to reach', async ({ assert }) => {
    app.container.swap(SessionCollection, () => {
      throw new Error('the cookie store check must not touch the session store')
    })
    const result = await new SessionStoreCheck('cookie').run()
    assert.equal(result.status, 'ok')
  })
})
