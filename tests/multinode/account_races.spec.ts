import { randomBytes } from 'node:crypto'
import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import { hashResetToken } from '#models/password_reset_token'
import { Cluster, needsServices } from '#kit/testing'
import { logsSettled, openServerForm, postServerForm } from '#tests/helpers/server_forms'
import { DUPLICATE_USER } from '#kit/testing/fixtures/error_routes'

const PASSWORD = 'correct horse battery'

/**
 * The account forms posted in parallel to two instances sharing one
 * PostgreSQL database: a reset link spent once, a sign-up race answered
 * like "already taken", and no value of a failed query in the logs.
 */
test.group('Multi-node | account forms under parallel posts on PostgreSQL', (group) => {
  needsServices(group)
  const cluster = new Cluster('database')
  group.setup(async () => {
    await cluster.start()
  })
  group.teardown(() => cluster.stop())

  test('six parallel posts of one reset link on A and B: exactly one sets the password', async ({
    assert,
  }) => {
    const user = await cluster.db.from('users').where('email', 'demo@example.com').firstOrFail()
    const token = randomBytes(32).toString('base64url')
    await cluster.db.table('password_reset_tokens').insert({
      user_id: user.id,
      token_hash: hashResetToken(token),
      expires_at: new Date(Date.now() + 60 * 60_000),
      created_at: new Date(),
    })
    const path = `/reset-password/${token}`
    const servers = [cluster.a, cluster.b]

    const forms = await Promise.all(
      Array.from({ length: 6 }, (_, index) => openServerForm(servers[index % 2], path))
    )
    const passwords = forms.map((_, index) => `${PASSWORD} number ${index}`)
    const responses = await Promise.all(
      forms.map((form, index) =>
        postServerForm(
          servers[(index + 1) % 2],
          path,
          { password: passwords[index], password_confirmation: passwords[index] },
          form
        )
      )
    )

    const statuses = responses.map((response) => response.status)
    const winners = responses.filter((response) => response.status === 302)
    assert.lengthOf(winners, 1, `statuses: ${statuses}`)
    assert.equal(winners[0].headers.get('location'), '/dashboard')
    for (const loser of responses.filter((response) => response !== winners[0])) {
      assert.equal(loser.status, 400)
      assert.include(await loser.text(), 'This link does not work')
    }

    const changed = await cluster.db.from('users').where('id', user.id).firstOrFail()
    assert.isTrue(await hash.verify(changed.password, passwords[responses.indexOf(winners[0])]))
    assert.lengthOf(await cluster.db.from('password_reset_tokens').where('user_id', user.id), 0)
  })

  test('twelve parallel sign-ups of one address on A and B: one account, the others "already taken", nothing logged', async ({
    assert,
  }) => {
    const email = 'new.multinode.race@example.com'
    const since = { a: cluster.a.output.length, b: cluster.b.output.length }
    const servers = [cluster.a, cluster.b]

    const forms = await Promise.all(
      Array.from({ length: 12 }, (_, index) => openServerForm(servers[index % 2], '/signup'))
    )
    const responses = await Promise.all(
      forms.map((form, index) =>
        postServerForm(
          servers[index % 2],
          '/signup',
          { email, password: PASSWORD, password_confirmation: PASSWORD },
          form,
          index % 4 < 2 ? 'text/html' : 'application/json'
        )
      )
    )

    const user = await cluster.db.from('users').where('email', email).firstOrFail()
    await Promise.all([
      logsSettled(cluster.a, 'req-race-end-a'),
      logsSettled(cluster.b, 'req-race-end-b'),
    ])
    const logs = cluster.a.output.slice(since.a) + cluster.b.output.slice(since.b)
    for (const secret of [email, PASSWORD, '$scrypt$', user.password.split('$').pop()]) {
      assert.notInclude(logs, secret)
    }

    const statuses = responses.map((response) => response.status)
    assert.notInclude(statuses, 500, `statuses: ${statuses}`)
    const created = responses.filter(
      (response) => response.headers.get('location') === '/verify-email'
    )
    assert.lengthOf(created, 1, `statuses: ${statuses}`)
    for (const [index, response] of responses.entries()) {
      if (response === created[0]) {
        continue
      }
      if (index % 4 < 2) {
        assert.equal(response.headers.get('location'), '/signup')
      } else {
        assert.equal(response.status, 422)
        const body: any = await response.json()
        assert.deepInclude(body.errors[0], {
          code: 'E_VALIDATION_ERROR',
          field: 'email',
          rule: 'database.unique',
        })
      }
    }
  })

  test('a database error is logged with its code and constraint, never the values', async ({
    assert,
  }) => {
    const response = await cluster.a.fetch('/__test__/errors/duplicate-user', {
      headers: { 'accept': 'application/json', 'x-request-id': 'req-pg-duplicate' },
    })
    assert.equal(response.status, 500)

    await cluster.a.waitForOutput(/req-pg-duplicate/)
    const line = cluster.a.logLines().find((entry) => entry.request_id === 'req-pg-duplicate')!
    assert.equal(line.level, 50)
    assert.equal(line.err.code, '23505')
    assert.equal(line.err.table, 'users')
    assert.match(line.err.constraint, /email/)
    assert.include(line.msg, '23505')
    const text = JSON.stringify(line)
    for (const secret of [DUPLICATE_USER.email, '$scrypt$', 'ZHVwbGljYXRlLWhhc2g', 'Key (']) {
      assert.notInclude(text, secret)
    }
  })
})
