import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'
import NormaliseUserEmails from '#database/migrations/1763776800002_normalise_user_emails'
import { TempDatabase } from '#kit/testing'

/**
 * Email addresses are compared and stored trimmed and in lower case: a
 * user signs in whatever case they type, and two accounts cannot differ
 * only by case.
 */
test.group('Accounts | email case', (group) => {
  const created: string[] = []
  group.each.teardown(async () => {
    if (created.length) {
      await db.from('users').whereIn('email', created.splice(0)).delete()
    }
  })

  test('signs in with {$self} and the right password')
    .with(['DEMO@EXAMPLE.COM', 'Demo@Example.Com', 'demo@EXAMPLE.com', '  demo@example.com  '])
    .run(async ({ client }, email) => {
      const response = await client
        .post('/login')
        .form({ email, password: DEMO_PASSWORD })
        .accepting('html')
        .withCsrfToken()
        .redirects(0)

      response.assertStatus(302)
      response.assertHeader('location', '/')
    })

  test('an API client signs in with an upper-case email too', async ({ client }) => {
    const response = await client
      .post('/login')
      .form({ email: 'ADMIN@example.com', password: DEMO_PASSWORD })
      .accepting('json')
      .withCsrfToken()
      .redirects(0)

    response.assertStatus(200)
    response.assertBodyContains({ user: { email: 'admin@example.com' } })
  })

  test('a wrong password with an upper-case email still fails', async ({ client }) => {
    const response = await client
      .post('/login')
      .form({ email: 'DEMO@EXAMPLE.COM', password: 'not-the-password' })
      .accepting('json')
      .withCsrfToken()
      .redirects(0)

    response.assertStatus(400)
  })

  test('the model stores the email trimmed and in lower case, on create and update', async ({
    assert,
  }) => {
    created.push('mixed.case@example.com', 'renamed@example.com')
    const user = await User.create({ email: '  Mixed.Case@Example.COM ', password: 'x-secret-1' })
    assert.equal(user.email, 'mixed.case@example.com')
    const row = await db.from('users').where('id', user.id).first()
    assert.equal(row.email, 'mixed.case@example.com')

    user.email = 'ReNamed@Example.com'
    await user.save()
    const renamed = await db.from('users').where('id', user.id).first()
    assert.equal(renamed.email, 'renamed@example.com')
  })

  test('two users differing only by case cannot exist: {$self}')
    .with(['DEMO@example.com', 'demo@EXAMPLE.COM', ' Demo@Example.com'])
    .run(async ({ assert }, email) => {
      await assert.rejects(() => User.create({ email, password: 'x-secret-1' }))
      const count = await db.from('users').whereRaw('lower(email) = ?', ['demo@example.com'])
      assert.lengthOf(count, 1)
    })

  test('the unique index is on the lower-cased email: a raw insert cannot get past it', async ({
    assert,
  }) => {
    await assert.rejects(() =>
      db.table('users').insert({
        email: 'DEMO@EXAMPLE.COM',
        password: 'not-a-hash',
        role: 'user',
        created_at: new Date(),
      })
    )
  })
})

test.group('Accounts | email case migration', (group) => {
  let database: TempDatabase
  group.each.setup(async () => {
    database = await TempDatabase.create()
    return () => database.destroy()
  })

  /**
   * The temp database as it was before the migration: users stored with
   * the case they were typed in, and no index on the lower-cased email.
   */
  async function beforeMigration(emails: string[]) {
    const connection = db.connection(database.connectionName)
    await new NormaliseUserEmails(connection, 'normalise', false).execDown()
    for (const email of emails) {
      await connection.table('users').insert({
        email,
        password: 'hash',
        role: 'user',
        created_at: new Date(),
      })
    }
    return connection
  }

  test('lower-cases and trims the existing emails, then adds the index', async ({ assert }) => {
    const connection = await beforeMigration(['Mixed@Example.COM', ' Spaced@example.com '])

    await new NormaliseUserEmails(connection, 'normalise', false).execUp()

    const rows = await connection.from('users').select('email').orderBy('id')
    const emails = rows.map((row) => row.email)
    assert.deepEqual(emails, ['mixed@example.com', 'spaced@example.com'])
    await assert.rejects(() =>
      connection
        .table('users')
        .insert({ email: 'MIXED@example.com', password: 'h', role: 'user', created_at: new Date() })
    )
  })

  test('existing users differing only by case stop the migration with their addresses, changing nothing', async ({
    assert,
  }) => {
    const connection = await beforeMigration(['Twin@example.com', 'twin@EXAMPLE.com', 'Solo@x.com'])

    await assert.rejects(
      () => new NormaliseUserEmails(connection, 'normalise', false).execUp(),
      /twin@example\.com/
    )

    const rows = await connection.from('users').select('email').orderBy('id')
    const emails = rows.map((row) => row.email)
    assert.deepEqual(emails, ['Twin@example.com', 'twin@EXAMPLE.com', 'Solo@x.com'])
  })
})
