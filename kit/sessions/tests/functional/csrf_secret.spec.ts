import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'
import { SessionFamilies } from '#kit/sessions/src/session_families'
import { Visitor } from '#kit/testing'

const EMAIL = 'demo@example.com'

/**
 * Asserts that a POST was refused as a bad CSRF token: the 403 body for
 * API clients, the redirect back for browsers.
 */
async function assertCsrfRefused(assert: any, response: Response, json: boolean) {
  if (json) {
    assert.equal(response.status, 403)
    const body: any = await response.json()
    assert.equal(body.errors[0].code, 'E_BAD_CSRF_TOKEN')
  } else {
    assert.equal(response.status, 302)
    assert.notEqual(response.headers.get('location'), '/login')
  }
}

/**
 * True when the visitor is signed in (GET /api/me answers 200).
 */
async function isSignedIn(visitor: Visitor) {
  const me = await visitor.fetch('/api/me', { headers: { accept: 'application/json' } })
  await me.body?.cancel()
  return me.status === 200
}

/**
 * Has the container hand out session families on the cookie store (the
 * session data in an encrypted cookie, no families).
 */
async function useCookieStore() {
  const real = await app.container.make(SessionFamilies)
  app.container.swap(
    SessionFamilies,
    () =>
      new SessionFamilies(
        { ...real.config, store: 'cookie' },
        real.policy,
        real.userIdKey,
        undefined
      )
  )
}

for (const driver of ['database', 'cookie'] as const) {
  test.group(`Session | CSRF secret at sign-in and sign-out (${driver} store)`, (group) => {
    group.each.setup(async () => {
      await db.from('sessions').delete()
      if (driver === 'cookie') {
        await useCookieStore()
      }
      return () => app.container.restore(SessionFamilies)
    })

    test('a token of the login form is refused after sign-in ({$self})')
      .with(['json', 'html'] as const)
      .run(async ({ assert }, format) => {
        const visitor = new Visitor()
        const before = await visitor.signIn(EMAIL, DEMO_PASSWORD)

        const reused = await visitor.post('/logout', { _csrf: before }, { json: format === 'json' })

        await assertCsrfRefused(assert, reused, format === 'json')
        assert.isTrue(await isSignedIn(visitor), 'the refused sign-out signed nobody out')

        const { token: after } = await visitor.form('/dashboard')
        const signOut = await visitor.post('/logout', { _csrf: after })
        assert.equal(signOut.status, 302)
        assert.equal(signOut.headers.get('location'), '/login')
        assert.isFalse(await isSignedIn(visitor))
      })

    test('a token of a signed-in page is refused after sign-out ({$self})')
      .with(['/logout', '/logout/all'])
      .run(async ({ assert }, signOutPath) => {
        const visitor = new Visitor()
        await visitor.signIn(EMAIL, DEMO_PASSWORD)
        const { token: signedIn } = await visitor.form('/dashboard')
        const signOut = await visitor.post(signOutPath, { _csrf: signedIn })
        assert.equal(signOut.headers.get('location'), '/login')

        const reused = await visitor.post(
          '/login',
          { email: EMAIL, password: DEMO_PASSWORD, _csrf: signedIn },
          { json: true }
        )
        await assertCsrfRefused(assert, reused, true)
        assert.isFalse(await isSignedIn(visitor))

        const { token: fresh } = await visitor.form('/login')
        const login = await visitor.post('/login', {
          email: EMAIL,
          password: DEMO_PASSWORD,
          _csrf: fresh,
        })
        assert.equal(login.status, 302)
        assert.equal(login.headers.get('location'), '/')
        assert.isTrue(await isSignedIn(visitor))
      })

    test('a login form of a stored anonymous session (after sign-out) is refused after sign-in', async ({
      assert,
    }) => {
      const visitor = new Visitor()
      await visitor.signIn(EMAIL, DEMO_PASSWORD)
      const { token: signedIn } = await visitor.form('/dashboard')
      await visitor.post('/logout', { _csrf: signedIn })

      const before = await visitor.signIn(EMAIL, DEMO_PASSWORD)

      const reused = await visitor.post('/logout', { _csrf: before }, { json: true })
      await assertCsrfRefused(assert, reused, true)
      assert.isTrue(await isSignedIn(visitor))
    })
  })
}

test.group('Session | CSRF secret across a token rotation', (group) => {
  group.each.setup(async () => {
    await db.from('sessions').delete()
  })

  test('a form rendered before the token rotated still posts after it', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.signIn(EMAIL, DEMO_PASSWORD)
    const { token } = await visitor.form('/dashboard')
    const before = visitor.cookieHeader

    await db.rawQuery('UPDATE sessions SET created_at = created_at - 960000')
    assert.isTrue(await isSignedIn(visitor))
    assert.notEqual(visitor.cookieHeader, before, 'the session token rotated')

    const signOut = await visitor.post('/logout', { _csrf: token })
    assert.equal(signOut.status, 302)
    assert.equal(signOut.headers.get('location'), '/login')
    assert.isFalse(await isSignedIn(visitor))
  })
})
