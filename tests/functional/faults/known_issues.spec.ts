import { test } from '@japa/runner'
import { AppProcess } from '#tests/helpers/app_process'
import { TempDatabase } from '#tests/helpers/temp_database'

/*
|--------------------------------------------------------------------------
| Known issues, outside the files of the faults work
|--------------------------------------------------------------------------
|
| Each test states the behaviour the issue asks for and fails today, so it
| is marked with `.fails()`: Japa counts it as passed while it fails. Once
| the cause is fixed the test passes, Japa reports it as failed, and the
| `.fails()` call must be removed.
|
*/

test.group('Known issues | exception handler', () => {
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
  }).fails(
    "app/exceptions/handler.ts: AdonisJS' ExceptionHandler.report() calls error.report() " +
      'without awaiting it, so the try/catch around super.report() cannot catch a rejection; ' +
      'it becomes an unhandled rejection and the process exits'
  )

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
  }).fails(
    'app/errors/http_error.ts: toHttpError() assigns `status` on the thrown error, which throws ' +
      'for a frozen error; the TypeError is reported instead of the error'
  )
})

test.group('Known issues | health routes and the session middleware', () => {
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
  }).fails(
    'start/kernel.ts: the session middleware runs on every route and reads the session store ' +
      'before the health controller runs; with the database store, a database outage makes ' +
      'GET /health a 500 (liveness fails) and GET /health/ready a 500 instead of a 503'
  )

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
  }).fails(
    'start/kernel.ts: the session and shield middleware run on every route; shield puts a ' +
      'CSRF secret in every new session, so each cookie-less probe writes a session row'
  )
})
