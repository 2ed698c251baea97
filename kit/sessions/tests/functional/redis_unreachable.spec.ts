import { test } from '@japa/runner'
import { freePort } from '#kit/runtime/src/first_run/free_port'
import { AppProcess } from '#kit/testing/app_process'
import { TempDatabase } from '#kit/testing/temp_database'
import { attemptSignIn } from '#kit/testing/sign_in_attempts'

const PASSWORD = 'redis-password-never-logged'

test.group('Redis unreachable | production server', (group) => {
  let database: TempDatabase

  group.each.setup(async () => {
    database = await TempDatabase.create()
    return () => database.destroy()
  })

  test('the logs name host:port (never the password), and SIGTERM exits 0', async ({ assert }) => {
    const port = await freePort()
    const address = `127.0.0.1:${port}`
    const server = await AppProcess.start({
      SESSION_DRIVER: 'redis',
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(port),
      REDIS_PASSWORD: PASSWORD,
      DB_SQLITE_FILE: database.file,
    })
    try {
      /**
       * A sign-in: its throttle counters (and then its session) live in
       * Redis.
       */
      const signIn = await attemptSignIn(server, {
        email: 'someone@example.com',
        password: 'not-the-password',
        ip: '127.0.0.1',
      })
      assert.equal(signIn.status, 503)
      const unavailable = JSON.parse(await server.waitForOutput(/store\.unavailable/))
      assert.equal(unavailable.level, 50)
      assert.include(unavailable.msg, address)

      const ready = await server.fetch('/health/ready')
      assert.equal(ready.status, 503)
      const notReady = JSON.parse(await server.waitForOutput(/"check":"Session store check"/))
      assert.include(notReady.msg, address)

      server.signal('SIGTERM')
      const code = await server.waitForExit()
      assert.equal(code, 0, server.output)
      assert.notInclude(server.output, 'the shutdown failed')
      assert.deepEqual(
        server.logLines().filter((line) => line.level >= 50 && line.event !== 'store.unavailable'),
        []
      )
      assert.notInclude(server.output, PASSWORD)
    } finally {
      await server.stop()
    }
  }).timeout(120_000)
})
