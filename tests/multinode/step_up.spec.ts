import { randomBytes } from 'node:crypto'
import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import { totpCode } from '#kit/mfa'
import { Cluster, needsServices, Visitor } from '#kit/testing'
import { hashResetToken } from '#models/password_reset_token'
import { enrolTotp } from '#tests/helpers/mfa'

const PASSWORD = 'correct horse battery'
const HTML = { accept: 'text/html' }
const JSON_ACCEPT = { accept: 'application/json' }

/**
 * The second factor and the recent proof are facts of the session, kept
 * in the shared store: a challenge passed on instance A, and a proof
 * given there, count on instance B. Run with sessions in Redis and in the
 * PostgreSQL table.
 */
for (const driver of ['redis', 'database'] as const) {
  test.group(
    `Multi-node | second factor and step-up in ${driver === 'redis' ? 'Redis' : 'PostgreSQL'}`,
    (group) => {
      needsServices(group)
      const cluster = new Cluster(driver)
      group.setup(async () => {
        await cluster.start()
      })
      group.teardown(() => cluster.stop())

      /**
       * A new user in the cluster's database (verified, role user).
       */
      async function newUser() {
        const email = `step.up.${randomBytes(4).toString('hex')}@example.com`
        const [row] = await cluster.db
          .table('users')
          .insert({
            email,
            password: await hash.make(PASSWORD),
            role: 'user',
            email_verified_at: new Date(),
            created_at: new Date(),
            updated_at: new Date(),
          })
          .returning('id')
        return { id: Number(row.id ?? row), email }
      }

      /**
       * One browser whose requests land on A (`onA`) or B (`onB`): the two
       * share their cookies.
       */
      function browser() {
        const onA = new Visitor(cluster.a.fetch)
        const onB = new Visitor(cluster.b.fetch)
        onB.cookies = onA.cookies
        return { onA, onB }
      }

      test('a challenge passed on A is honoured on B, and B lists how the session signed in', async ({
        assert,
      }) => {
        const user = await newUser()
        const owner = browser()
        await owner.onA.signIn(user.email, PASSWORD)
        const { secret, response } = await enrolTotp(owner.onA)
        assert.equal(response.status, 200)

        const { onA, onB } = browser()
        await onA.signIn(user.email, PASSWORD)
        const before = await onB.fetch('/api/me', { headers: JSON_ACCEPT })
        assert.equal(before.status, 403, 'without the second factor on B')

        const { token } = await onA.form('/mfa/challenge')
        const passed = await onA.post('/mfa/challenge', {
          _csrf: token,
          code: totpCode(secret, Date.now() + 30_000),
        })
        assert.equal(passed.status, 302)

        const after = await onB.fetch('/api/me', { headers: JSON_ACCEPT })
        assert.equal(after.status, 200, 'the challenge passed on A counts on B')
        const sessions = await onB.fetch('/sessions', { headers: HTML })
        const html = await sessions.text()
        assert.include(html, '<td class="sign-in-methods">password + authenticator app</td>')
        assert.include(html, '<td class="sign-in-methods">password</td>', "the owner's session")
      })

      test('a proof given on A counts on B: a session signed in by a reset link confirms on A, then changes the password on B', async ({
        assert,
      }) => {
        const user = await newUser()
        const token = randomBytes(32).toString('base64url')
        await cluster.db.table('password_reset_tokens').insert({
          user_id: user.id,
          token_hash: hashResetToken(token),
          expires_at: new Date(Date.now() + 60 * 60_000),
          created_at: new Date(),
        })
        const { onA, onB } = browser()
        const reset = await onA.form(`/reset-password/${token}`)
        const changed = await onA.post(`/reset-password/${token}`, {
          _csrf: reset.token,
          password: `${PASSWORD} 2`,
          password_confirmation: `${PASSWORD} 2`,
        })
        assert.equal(changed.status, 302)
        assert.equal(changed.headers.get('location'), '/dashboard')

        const form = await onB.form('/account/security')
        const refused = await onB.post('/account/security/recovery-codes', { _csrf: form.token })
        assert.equal(refused.status, 302)
        assert.equal(refused.headers.get('location'), '/confirm', 'a reset link is no proof')

        const confirm = await onA.form('/confirm')
        const confirmed = await onA.post('/confirm', {
          _csrf: confirm.token,
          password: `${PASSWORD} 2`,
        })
        assert.equal(confirmed.status, 302)

        const again = await onB.form('/account/security')
        const newPassword = `${PASSWORD} 3`
        const allowed = await onB.post('/account/password', {
          _csrf: again.token,
          password: newPassword,
          password_confirmation: newPassword,
        })
        assert.equal(allowed.status, 302)
        assert.equal(allowed.headers.get('location'), '/account/security')
        const stored = await cluster.db.from('users').where('id', user.id).firstOrFail()
        assert.isTrue(await hash.verify(stored.password, newPassword))
        const me = await onA.fetch('/api/me', { headers: JSON_ACCEPT })
        assert.equal(me.status, 200, 'the session that changed it stays signed in, on A too')
      })
    }
  )
}
