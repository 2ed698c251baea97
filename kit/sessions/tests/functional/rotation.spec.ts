import { test } from '@japa/runner'
import type { ApiClient, ApiResponse } from '@japa/api-client'
import type { Assert } from '@japa/assert'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { hashToken } from '#kit/sessions/src/token_hash'
import { SessionFamilies } from '#kit/sessions/src/session_families'
import { SESSION_COOKIE, signIn, csrfTokenOf, withFormCookies, testServer } from '#kit/testing'

/**
 * Moves every session of the database back in time, as if `ms` had
 * passed: rotation intervals, grace windows and expiries fall due.
 */
async function travel(ms: number) {
  await db.rawQuery(
    `UPDATE sessions SET created_at = created_at - ?, family_created_at = family_created_at - ?,
      rotated_at = rotated_at - ?, last_used_at = last_used_at - ?, expires_at = expires_at - ?`,
    [ms, ms, ms, ms, ms]
  )
}

/**
 * GET /api/me with a session token.
 */
function me(client: ApiClient, token: string) {
  return client.get('/api/me').as(token)
}

/**
 * The session token a response set.
 */
function tokenOf(response: ApiResponse) {
  return response.cookie(SESSION_COOKIE)!.value
}

const MINUTE = 60_000

/**
 * Asserts that a response clears the session cookie (an empty value that
 * has already expired) and sets no other session cookie.
 */
function assertCookieCleared(assert: Assert, response: ApiResponse) {
  const setCookies = [response.headers()['set-cookie'] ?? []]
    .flat()
    .filter((cookie: string) => cookie.startsWith(`${SESSION_COOKIE}=`))
  assert.lengthOf(setCookies, 1, setCookies.join('\n'))
  assert.match(setCookies[0], new RegExp(`^${SESSION_COOKIE}=;`))
  assert.match(setCookies[0], /Expires=Thu, 01 Jan 1970/)
}

test.group('Session | rotation and theft', (group) => {
  group.each.setup(async () => {
    await db.from('sessions').delete()
  })

  test('a token rotates after the rotation interval; the new one works', async ({
    client,
    assert,
  }) => {
    const { token: first } = await signIn(testServer, 'demo@example.com')
    await travel(16 * MINUTE)

    const rotated = await client.get('/api/me').as(first)
    rotated.assertStatus(200)
    const second = rotated.cookie(SESSION_COOKIE)!.value
    assert.notEqual(second, first)
    assert.match(second, /^[\w-]{43}$/)

    const next = await client.get('/api/me').as(second)
    next.assertStatus(200)
    next.assertBodyContains({ email: 'demo@example.com' })
    assert.isUndefined(next.cookie(SESSION_COOKIE), 'the cookie holds the new token already')
  })

  test('the previous token works within the grace window and leads to the same successor', async ({
    client,
    assert,
  }) => {
    const { token: first } = await signIn(testServer, 'demo@example.com')
    await travel(16 * MINUTE)
    const second = tokenOf(await me(client, first))

    const again = await client.get('/api/me').as(first)

    again.assertStatus(200)
    assert.equal(again.cookie(SESSION_COOKIE)!.value, second)
    const rows = await db.from('sessions')
    assert.lengthOf(rows, 2)
  })

  test('the previous token after the grace window is theft: both tokens are revoked', async ({
    client,
    assert,
  }) => {
    const { token: first } = await signIn(testServer, 'demo@example.com')
    await travel(16 * MINUTE)
    const second = tokenOf(await me(client, first))
    await travel(31_000)

    const theft = await client.get('/api/me').as(first)

    theft.assertStatus(401)
    assert.equal(theft.body().errors[0].code, 'E_TOKEN_THEFT_DETECTED')
    const legit = await client.get('/api/me').as(second)
    legit.assertStatus(401)
    assert.equal(legit.body().errors[0].code, 'E_TOKEN_THEFT_DETECTED', 'the holder learns why')
    const oldAgain = await client.get('/api/me').as(first)
    oldAgain.assertStatus(401)
    assert.lengthOf(await db.from('sessions').whereNotNull('user_id'), 0)
  })

  test('a family revoked for theft keeps no data and is collected once expired', async ({
    client,
    assert,
  }) => {
    const { token: first } = await signIn(testServer, 'demo@example.com')
    await travel(16 * MINUTE)
    const second = tokenOf(await me(client, first))
    await travel(31_000)
    const theft = await me(client, first)
    theft.assertStatus(401)

    const family = () => db.from('sessions').whereIn('id', [hashToken(first), hashToken(second)])
    const revoked = await family()
    assert.lengthOf(revoked, 2)
    assert.deepEqual(
      revoked.map((row) => [row.data, row.user_id]),
      [
        ['{}', null],
        ['{}', null],
      ]
    )

    await travel(2 * 60 * MINUTE)
    const { store, policy } = await app.container.make(SessionFamilies)
    await store!.collectExpired(policy, Date.now())
    assert.lengthOf(await family(), 0)
    const after = await me(client, second)
    after.assertStatus(401)
    after.assertBodyContains({ errors: [{ code: 'E_UNAUTHORIZED', reason: 'revoked' }] })
  })

  test('a token two generations old is theft even inside the grace window', async ({ client }) => {
    const { token: first } = await signIn(testServer, 'demo@example.com')
    await travel(16 * MINUTE)
    const second = tokenOf(await me(client, first))
    await travel(16 * MINUTE)
    const third = tokenOf(await me(client, second))

    const theft = await client.get('/api/me').as(first)

    theft.assertStatus(401)
    theft.assertBodyContains({ errors: [{ code: 'E_TOKEN_THEFT_DETECTED' }] })
    const checkThird = await me(client, third)
    checkThird.assertStatus(401)
  })

  test('50 parallel requests at a rotation create one successor and no theft', async ({
    client,
    assert,
  }) => {
    const { token: first } = await signIn(testServer, 'demo@example.com')
    await travel(16 * MINUTE)

    const responses = await Promise.all(
      Array.from({ length: 50 }, () => client.get('/api/me').as(first))
    )

    assert.deepEqual([...new Set(responses.map((response) => response.status()))], [200])
    const tokens = new Set(responses.map((response) => response.cookie(SESSION_COOKIE)!.value))
    assert.equal(tokens.size, 1)
    assert.notInclude([...tokens], first)
    const current = await db.from('sessions').whereNull('successor_id').whereNotNull('user_id')
    assert.lengthOf(current, 1)
  })

  test('the theft response ({$self}) clears the session cookie and starts no new session')
    .with(['application/json', 'text/html'])
    .run(async ({ client, assert }, accept) => {
      const { token: first } = await signIn(testServer, 'demo@example.com')
      await travel(16 * MINUTE)
      const second = tokenOf(await me(client, first))
      await travel(31_000)

      for (const token of [first, second]) {
        const response = await client
          .get('/dashboard')
          .header('accept', accept)
          .as(token)
          .redirects(0)

        if (accept === 'text/html') {
          response.assertStatus(303)
          response.assertHeader('location', '/login?next=%2Fdashboard&reason=theft')
        } else {
          response.assertStatus(401)
          assert.equal(response.body().errors[0].code, 'E_TOKEN_THEFT_DETECTED')
        }
        assertCookieCleared(assert, response)
        const sessions = await db.from('sessions').whereNull('successor_id')
        assert.lengthOf(sessions, 0, 'no session was started for the response')
      }
    })

  test('after a theft, the login page says why ({$self})')
    .with(['/login?next=%2Fdashboard&reason=theft', '/login?reason=theft'])
    .run(async ({ client }, location) => {
      const page = await client.get(location).accepting('html')

      page.assertStatus(200)
      page.assertTextIncludes('You were signed out to protect your account. Please sign in again.')
    })

  test('theft on a public page also clears the cookie', async ({ client, assert }) => {
    const { token: first } = await signIn(testServer, 'demo@example.com')
    await travel(16 * MINUTE)
    await me(client, first)
    await travel(31_000)

    const response = await client.get('/').accepting('html').as(first).redirects(0)

    response.assertStatus(303)
    response.assertHeader('location', '/login?reason=theft')
    assertCookieCleared(assert, response)
  })

  test('the database never holds a raw token', async ({ assert }) => {
    const { token } = await signIn(testServer, 'demo@example.com')
    const rows = await db.from('sessions')

    assert.isTrue(rows.some((row) => row.id === hashToken(token)))
    assert.notInclude(JSON.stringify(rows), token)
  })
})

test.group('Session | theft detection off', (group) => {
  group.setup(async () => {
    const { policy } = await app.container.make(SessionFamilies)
    policy.theftDetection = false
    return () => {
      policy.theftDetection = true
    }
  })
  group.each.setup(async () => {
    await db.from('sessions').delete()
  })

  test('the previous token after the grace window is refused as ended; the family stays', async ({
    client,
    assert,
  }) => {
    const { token: first } = await signIn(testServer, 'demo@example.com')
    await travel(16 * MINUTE)
    const second = tokenOf(await me(client, first))
    await travel(31_000)
    const before = await db.from('sessions').orderBy('id')

    const reuse = await me(client, first)

    reuse.assertStatus(401)
    reuse.assertBodyContains({ errors: [{ code: 'E_UNAUTHORIZED', reason: 'revoked' }] })
    assert.notEqual(reuse.cookie(SESSION_COOKIE)?.value, second)
    assert.deepEqual(await db.from('sessions').orderBy('id'), before, 'nothing revoked')
    const current = await me(client, second)
    current.assertStatus(200)
    current.assertBodyContains({ email: 'demo@example.com' })
    assert.isUndefined(current.cookie(SESSION_COOKIE), 'the cookie holds the current token already')
    const again = await me(client, first)
    again.assertBodyContains({ errors: [{ code: 'E_UNAUTHORIZED', reason: 'revoked' }] })
  })

  test('within the grace window nothing changes: the previous token leads to its successor', async ({
    client,
    assert,
  }) => {
    const { token: first } = await signIn(testServer, 'demo@example.com')
    await travel(16 * MINUTE)
    const second = tokenOf(await me(client, first))

    const again = await me(client, first)

    again.assertStatus(200)
    assert.equal(tokenOf(again), second)
  })

  test('a token two generations old is refused; the current one keeps working', async ({
    client,
  }) => {
    const { token: first } = await signIn(testServer, 'demo@example.com')
    await travel(16 * MINUTE)
    const second = tokenOf(await me(client, first))
    await travel(16 * MINUTE)
    const third = tokenOf(await me(client, second))

    const reuse = await me(client, first)

    reuse.assertStatus(401)
    reuse.assertBodyContains({ errors: [{ code: 'E_UNAUTHORIZED', reason: 'revoked' }] })
    const current = await me(client, third)
    current.assertStatus(200)
  })

  test('a browser with the old token goes to the login page, told its session ended', async ({
    client,
  }) => {
    const { token: first } = await signIn(testServer, 'demo@example.com')
    await travel(16 * MINUTE)
    const second = tokenOf(await me(client, first))
    await travel(31_000)

    const response = await client.get('/dashboard').accepting('html').as(first).redirects(0)

    response.assertStatus(303)
    response.assertHeader('location', '/login?next=%2Fdashboard')
    response.assertFlashMessage('notice', 'Your session has ended. Please sign in again.')
    const current = await me(client, second)
    current.assertStatus(200)
  })

  test('a family revoked for theft while detection was on is refused without a second alarm', async ({
    client,
  }) => {
    const { policy } = await app.container.make(SessionFamilies)
    const { token: first } = await signIn(testServer, 'demo@example.com')
    await travel(16 * MINUTE)
    const second = tokenOf(await me(client, first))
    await travel(31_000)
    policy.theftDetection = true
    let theft: ApiResponse
    try {
      theft = await me(client, first)
    } finally {
      policy.theftDetection = false
    }
    theft.assertBodyContains({ errors: [{ code: 'E_TOKEN_THEFT_DETECTED' }] })

    for (const token of [first, second]) {
      const refused = await me(client, token)
      refused.assertStatus(401)
      refused.assertBodyContains({ errors: [{ code: 'E_UNAUTHORIZED', reason: 'revoked' }] })
    }
  })
})

test.group('Session | expiry, sign-out, fixation', (group) => {
  group.each.setup(async () => {
    await db.from('sessions').delete()
  })

  test('an idle session expires: 401 with reason "expired"', async ({ client }) => {
    const { token } = await signIn(testServer, 'demo@example.com')
    await travel(2 * 60 * MINUTE + 1000)

    const response = await client.get('/api/me').as(token)
    response.assertStatus(401)
    response.assertBodyContains({ errors: [{ code: 'E_UNAUTHORIZED', reason: 'expired' }] })
  })

  test('a session past its absolute lifetime expires, however active', async ({ client }) => {
    const { token } = await signIn(testServer, 'demo@example.com')
    await db
      .from('sessions')
      .update({ family_created_at: Date.now() - 7 * 24 * 60 * MINUTE - 1000 })

    const response = await client.get('/api/me').as(token)
    response.assertStatus(401)
    response.assertBodyContains({ errors: [{ reason: 'expired' }] })
  })

  test('logout destroys the server session; the old token is then refused', async ({
    client,
    assert,
  }) => {
    const { token } = await signIn(testServer, 'demo@example.com')
    const form = await client.get('/dashboard').as(token)
    const csrf = csrfTokenOf(form.text())

    const logout = await client.post('/logout').form({ _csrf: csrf }).as(token).redirects(0)

    logout.assertStatus(302)
    assert.notEqual(logout.cookie(SESSION_COOKIE)!.value, token)
    const reuse = await client.get('/api/me').as(token)
    reuse.assertStatus(401)
    reuse.assertBodyContains({ errors: [{ reason: 'revoked' }] })
  })

  test('a planted token does not survive sign-in (session fixation)', async ({
    client,
    assert,
  }) => {
    const planted = 'p'.repeat(43)
    const form = await client.get('/login').as(planted)
    assert.notEqual(form.cookie(SESSION_COOKIE)?.value || undefined, planted)

    const { token } = await signIn(testServer, 'demo@example.com')
    assert.notEqual(token, planted)
    const checkPlanted = await me(client, planted)
    checkPlanted.assertStatus(401)
  })

  test('sign-in rotates the token of the anonymous session', async ({ client, assert }) => {
    const form = await client.get('/login')
    const csrf = csrfTokenOf(form.text())
    const failed = await withFormCookies(
      client
        .post('/login')
        .form({ email: 'demo@example.com', password: 'wrong-password', _csrf: csrf })
        .redirects(0),
      form
    )
    const before = failed.cookie(SESSION_COOKIE)!.value

    const login = await client
      .post('/login')
      .form({ email: 'demo@example.com', password: 'password', _csrf: csrf })
      .as(before)
      .redirects(0)

    assert.notEqual(login.cookie(SESSION_COOKIE)!.value, before)
    const checkBefore = await me(client, before)
    checkBefore.assertStatus(401)
  })

  test('bad cookies: {$self}')
    .with(['garbage', '', 'a'.repeat(4000), 's:eyJtZXNzYWdlIjoiYSJ9.badsignature', '%00%0d%0a'])
    .run(async ({ client, assert }, value) => {
      const api = await client.get('/api/me').header('cookie', `${SESSION_COOKIE}=${value}`)
      api.assertStatus(401)

      const page = await client.get('/').header('cookie', `${SESSION_COOKIE}=${value}`)
      page.assertStatus(200)
      if (value) {
        assert.notEqual(page.cookie(SESSION_COOKIE)?.value, value)
      }
    })

  test('a tampered signed cookie is refused', async ({ client }) => {
    const { token } = await signIn(testServer, 'demo@example.com')
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`

    const checkTampered = await me(client, tampered)

    checkTampered.assertStatus(401)
  })

  test('duplicated session cookies never cause a 5xx', async ({ client, assert }) => {
    const { token } = await signIn(testServer, 'demo@example.com')
    const response = await client
      .get('/api/me')
      .header('cookie', `${SESSION_COOKIE}=junk; ${SESSION_COOKIE}=junk2`)
      .as(token)
    assert.isBelow(response.status(), 500)
  })

  test('logout everywhere revokes every session of the user', async ({ client }) => {
    const { token: phone } = await signIn(testServer, 'demo@example.com')
    const { token: laptop } = await signIn(testServer, 'demo@example.com')
    const page = await client.get('/sessions').as(laptop)
    const csrf = csrfTokenOf(page.text())

    const response = await client.post('/logout/all').form({ _csrf: csrf }).as(laptop).redirects(0)

    response.assertStatus(302)
    const checkPhone = await me(client, phone)
    checkPhone.assertStatus(401)
    const checkLaptop = await me(client, laptop)
    checkLaptop.assertStatus(401)
  })

  test('the session list shows each sign-in and revokes one', async ({ client, assert }) => {
    const { token: phone } = await signIn(testServer, 'demo@example.com')
    const { token: laptop } = await signIn(testServer, 'demo@example.com')

    const page = await client.get('/sessions').as(laptop)
    page.assertStatus(200)
    assert.equal(page.text().match(/\(this session\)/g)?.length, 1)
    const revokeUrls = [...page.text().matchAll(/action="(\/sessions\/[^"]+\/revoke)"/g)].map(
      (m) => m[1]
    )
    assert.lengthOf(revokeUrls, 1)
    const csrf = csrfTokenOf(page.text())

    await client.post(revokeUrls[0]).form({ _csrf: csrf }).as(laptop).redirects(0)

    const checkPhone = await me(client, phone)

    checkPhone.assertStatus(401)
    const checkLaptop = await me(client, laptop)
    checkLaptop.assertStatus(200)
  })
})

/**
 * Ends the session family of every row, without moving any token's
 * rotation time: its absolute lifetime ran out, or (for the current token,
 * the one whose deadline counts) its idle timeout.
 */
async function endFamilies(how: 'absolute lifetime' | 'idle timeout') {
  if (how === 'absolute lifetime') {
    await db.rawQuery('UPDATE sessions SET family_created_at = family_created_at - ?', [
      7 * 24 * 60 * MINUTE,
    ])
  } else {
    await db
      .from('sessions')
      .whereNull('successor_id')
      .update({ expires_at: Date.now() - 1 })
  }
}

test.group('Session | expiry racing a rotation', (group) => {
  group.each.setup(async () => {
    await db.from('sessions').delete()
  })

  test(
    'the previous token, within the grace window, of a family past its {$self} is expired, not theft'
  )
    .with(['absolute lifetime', 'idle timeout'] as const)
    .run(async ({ client, assert }, how) => {
      const { token: first } = await signIn(testServer, 'demo@example.com')
      await travel(16 * MINUTE)
      const second = tokenOf(await me(client, first))
      await endFamilies(how)

      const late = await me(client, first)

      late.assertStatus(401)
      late.assertBodyContains({ errors: [{ code: 'E_UNAUTHORIZED', reason: 'expired' }] })
      assert.lengthOf(await db.from('sessions'), 0, 'the expired family is deleted')
      const current = await me(client, second)
      current.assertStatus(401)
      assert.notEqual(current.body().errors[0].code, 'E_TOKEN_THEFT_DETECTED')
    })

  test('the previous token after the grace window, of a family past its {$self}, is expired')
    .with(['absolute lifetime', 'idle timeout'] as const)
    .run(async ({ client }, how) => {
      const { token: first } = await signIn(testServer, 'demo@example.com')
      await travel(16 * MINUTE)
      await me(client, first)
      await travel(31_000)
      await endFamilies(how)

      const late = await me(client, first)

      late.assertStatus(401)
      late.assertBodyContains({ errors: [{ code: 'E_UNAUTHORIZED', reason: 'expired' }] })
    })

  test('a token two generations old, of a family past its absolute lifetime, is expired', async ({
    client,
  }) => {
    const { token: first } = await signIn(testServer, 'demo@example.com')
    await travel(16 * MINUTE)
    const second = tokenOf(await me(client, first))
    await travel(16 * MINUTE)
    await me(client, second)
    await endFamilies('absolute lifetime')

    const late = await me(client, first)

    late.assertStatus(401)
    late.assertBodyContains({ errors: [{ code: 'E_UNAUTHORIZED', reason: 'expired' }] })
  })

  test('a family revoked for theft stays theft until it is collected, even once expired', async ({
    client,
  }) => {
    const { token: first } = await signIn(testServer, 'demo@example.com')
    await travel(16 * MINUTE)
    const second = tokenOf(await me(client, first))
    await travel(31_000)
    const theft = await me(client, first)
    theft.assertBodyContains({ errors: [{ code: 'E_TOKEN_THEFT_DETECTED' }] })
    await endFamilies('absolute lifetime')

    const again = await me(client, second)

    again.assertStatus(401)
    again.assertBodyContains({ errors: [{ code: 'E_TOKEN_THEFT_DETECTED' }] })
  })
})
