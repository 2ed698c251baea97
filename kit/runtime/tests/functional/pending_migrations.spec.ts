import { test } from '@japa/runner'
import { AppProcess } from '#kit/testing/app_process'
import { TempDatabase } from '#kit/testing/temp_database'

type Readiness = { status: string; checks: { name: string; status: string; reason?: string }[] }

const REASON = /^\d+ database migrations have not run: run "node ace migration:run --force"$/

test.group('Pending migrations | production server', (group) => {
  let database: TempDatabase

  group.each.setup(async () => {
    database = await TempDatabase.create({ migrate: false })
    return () => database.destroy()
  })

  test('a database without migrations: a boot warning naming the command, and the reason in /health/ready', async ({
    assert,
  }) => {
    const server = await AppProcess.start({
      SESSION_DRIVER: 'database',
      DB_SQLITE_FILE: database.file,
    })
    try {
      const line = await server.waitForOutput(/migrations\.pending/)
      const warning = JSON.parse(line)
      assert.equal(warning.level, 40)
      assert.match(warning.msg, REASON)
      assert.include(warning.pending, 'database/migrations/1763776800000_create_users_table')

      const ready = await server.fetch('/health/ready')
      assert.equal(ready.status, 503)
      const body = (await ready.json()) as Readiness
      const check = body.checks.find(({ name }) => name === 'Migrations check')
      assert.equal(check?.status, 'error')
      assert.match(check?.reason ?? '', REASON)

      /**
       * Once the migrations have run, readiness passes without a restart.
       */
      await database.migrate()
      const after = await server.fetch('/health/ready')
      assert.equal(after.status, 200, JSON.stringify(await after.clone().json()))
      assert.deepInclude(((await after.json()) as Readiness).checks, {
        name: 'Migrations check',
        status: 'ok',
      })
    } finally {
      await server.stop()
    }
  }).timeout(120_000)

  test('a migrated database: no warning, and the check passes', async ({ assert }) => {
    await database.migrate()
    const server = await AppProcess.start({
      SESSION_DRIVER: 'database',
      DB_SQLITE_FILE: database.file,
    })
    try {
      const ready = await server.fetch('/health/ready')
      assert.equal(ready.status, 200)
      assert.deepInclude(((await ready.json()) as Readiness).checks, {
        name: 'Migrations check',
        status: 'ok',
      })
      assert.notInclude(server.output, 'migrations.pending')
    } finally {
      await server.stop()
    }
  }).timeout(120_000)
})
