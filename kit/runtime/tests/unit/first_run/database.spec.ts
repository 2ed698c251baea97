import { test } from '@japa/runner'
import { mkdir } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { isNewDatabase, setupNewDatabase } from '#kit/runtime/src/first_run/database'
import { DEMO_USERS } from '#database/seeders/demo_users_seeder'

/**
 * Registers a connection to a fresh SQLite file in the test's temporary
 * folder, with the app's migrations and seeders.
 */
async function useTemporaryDatabase(basePath: string) {
  await mkdir(basePath, { recursive: true })
  const connectionName = `first_run_${Date.now()}_${Math.random().toString(36).slice(2)}`
  db.manager.add(connectionName, {
    client: 'better-sqlite3',
    connection: { filename: `${basePath}/fresh.sqlite3` },
    useNullAsDefault: true,
    migrations: { naturalSort: true, paths: ['database/migrations'] },
    seeders: { paths: ['database/seeders'] },
  })
  return connectionName
}

test.group('First run | database', () => {
  test('migrates a new database and seeds the demo users', async ({ fs, assert, cleanup }) => {
    const connectionName = await useTemporaryDatabase(fs.basePath)
    cleanup(() => db.manager.close(connectionName, true))
    const lines: string[] = []

    assert.isTrue(await isNewDatabase(db, connectionName))
    const result = await setupNewDatabase(app, db, {
      connectionName,
      log: (line) => lines.push(line),
    })

    assert.includeMembers(result.migrated, [
      'database/migrations/1763776800000_create_users_table',
      'database/migrations/1763776800001_create_sessions_table',
    ])
    assert.deepEqual(result.seeded, ['database/seeders/demo_users_seeder.ts'])
    assert.isFalse(await isNewDatabase(db, connectionName))

    const users = await db.connection(connectionName).from('users').orderBy('id')
    assert.deepEqual(
      users.map((user) => [user.email, user.role, user.email_verified_at !== null]),
      DEMO_USERS.map((demo) => [demo.email, demo.role, demo.verified])
    )
    for (const user of users) {
      assert.match(user.password, /^\$scrypt\$/)
    }
    assert.lengthOf(lines, 2)
    assert.match(lines[0], /^\[first run\] migrated the new database \(\d+ migrations\)$/)
    assert.equal(lines[1], '[first run] seeded database/seeders/demo_users_seeder.ts')
  })

  test('a second run changes nothing', async ({ fs, assert, cleanup }) => {
    const connectionName = await useTemporaryDatabase(fs.basePath)
    cleanup(() => db.manager.close(connectionName, true))

    await setupNewDatabase(app, db, { connectionName })
    await db.connection(connectionName).from('users').where('email', 'demo@example.com').update({
      role: 'changed-by-hand',
    })

    const again = await setupNewDatabase(app, db, { connectionName })

    assert.deepEqual(again, { migrated: [], seeded: [] })
    const users = await db.connection(connectionName).from('users')
    assert.lengthOf(users, DEMO_USERS.length)
    assert.equal(users.find((user) => user.email === 'demo@example.com').role, 'changed-by-hand')
  })
})
