import { test } from '@japa/runner'
import { AppProcess, TempDatabase } from '#kit/testing'

/*
|--------------------------------------------------------------------------
| Regressions found while testing the fault paths
|--------------------------------------------------------------------------
|
| Each of these failed once: an async report() that rejected took the
| process down, a frozen error was never logged, and health probes touched
| the session store.
|
*/

test.group('Regressions | exception handler', () => {
  test('an async report() that rejects does not take the server down', async ({ assert }) => {
    const server = await AppProcess.start()
    try {
      const response = await server.fetch('/__test__/faults/report-throws?async=1', {
        headers: { accept: 'application/json' },
      })
      assert.equal(response.status, 500)

      const after = await server.fetch('/__test__/errors/status/409', {
        headers: { 'x-request-id': 'req-after-async-report' },
      })
      assert.equal(after.status, 409)
      await server.waitForOutput(/req-after-async-report/)

      assert.isFalse(
        server.logLines().some((line) => line.level === 60),
        'a fatal line was logged: the rejection of report() was not handled'
      )
      assert.isNull(server.exitCode)
    } finally {
      await server.stop()
    }
  })

  test('a frozen error is reported with its own message', async ({ assert }) => {
    const server = await AppProcess.start()
    try {
      const response = await server.fetch('/__test__/faults/frozen-error')
      assert.equal(response.status, 500)

      await server.fetch('/__test__/errors/status/409', {
        headers: { 'x-request-id': 'req-after-frozen' },
      })
      await server.waitForOutput(/req-after-frozen/)

      const reported = server.logLines().find((line) => line.err?.message === 'a frozen failure')
      assert.exists(reported, 'the frozen error itself was never logged')
    } finally {
      await server.stop()
    }
  })
})

test.group('Regressions | health routes and the session middleware', () => {
  test('with the database session store, /health answers 200 while the database is down', async ({
    assert,
  }) => {
    const database = await TempDatabase.create({ migrate: false })
    const server = await AppProcess.start({
      SESSION_DRIVER: 'database',
      DB_SQLITE_FILE: database.directory,
    })
    try {
      const live = await server.fetch('/health')
      assert.equal(live.status, 200)

      const ready = await server.fetch('/health/ready')
      assert.equal(ready.status, 503)
    } finally {
      await server.stop()
      await database.destroy()
    }
  })

  test('health probes create no session rows', async ({ assert }) => {
    const database = await TempDatabase.create()
    const server = await AppProcess.start({
      SESSION_DRIVER: 'database',
      DB_SQLITE_FILE: database.file,
    })
    try {
      for (let probe = 0; probe < 3; probe++) {
        const live = await server.fetch('/health')
        const ready = await server.fetch('/health/ready')
        assert.deepEqual([live.status, ready.status], [200, 200])
      }
    } finally {
      await server.stop()
    }

    try {
      assert.deepEqual(await database.sessions(), [])
    } finally {
      await database.destroy()
    }
  })
})
