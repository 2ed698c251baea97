import { test, timeTravel } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { SessionFamilies } from '#kit/sessions/src/session_families'
import { AppProcess, assertPagePolicy, freshIp, SoftwareAuthenticator, Visitor } from '#kit/testing'
import { totpCode } from '#kit/mfa'
import { createUser, MFA_PASSWORD } from '#tests/helpers/mfa'
import { apiCsrfToken, sessionTokenOfVisitor, userWithTotp } from '#tests/helpers/mfa_users'
import {
  API_FORMATS,
  authenticatorForTests,
  ceremonyOptions,
  errorCodeOf,
  passkeyRowsOf,
  postJson,
  registerPasskey,
  userWithPasskey,
} from '#tests/helpers/passkeys'

const HTML = { accept: 'text/html' }
const JSON_ACCEPT = { accept: 'application/json' }

/**
 * The session data behind a visitor's token.
 */
async function sessionDataOf(visitor: Visitor) {
  const families = await app.container.make(SessionFamilies)
  return families.store!.peek(sessionTokenOfVisitor(visitor)!)
}

/**
 * The claim failures of a 403 body, wherever its format keeps them.
 */
function claimFailuresOf(body: any): { id: string; reason: Record<string, unknown> }[] {
  return body.claimValidationErrors ?? body.errors?.[0]?.meta?.claimValidationErrors
}

/**
 * Gives the passkey as the second factor of a session that signed in
 * with the password: options, the authenticator's answer, the check.
 */
async function passkeyChallenge(
  visitor: Visitor,
  authenticator: Awaited<ReturnType<typeof authenticatorForTests>>,
  options: { overrides?: Parameters<typeof authenticator.authenticate>[1]; accept?: string } = {}
) {
  const request = await ceremonyOptions(visitor, '/mfa/challenge/passkey/options')
  const assertion = authenticator.authenticate(request, options.overrides)
  const response = await postJson(
    visitor,
    '/mfa/challenge/passkey',
    { response: assertion, next: '/billing' },
    { accept: options.accept }
  )
  return { response, assertion, request }
}

/**
 * Signs in with a passkey alone, as the login page's script does.
 */
async function passkeySignIn(
  visitor: Visitor,
  authenticator: Awaited<ReturnType<typeof authenticatorForTests>>,
  options: { overrides?: Parameters<typeof authenticator.authenticate>[1]; accept?: string } = {}
) {
  const request = await ceremonyOptions(visitor, '/login/passkey/options')
  const assertion = authenticator.authenticate(request, options.overrides)
  const response = await postJson(
    visitor,
    '/login/passkey',
    { response: assertion },
    { accept: options.accept }
  )
  return { response, assertion, request }
}

test.group('Passkeys | registration', () => {
  test('a signed-in user adds passkeys; each is stored with its key, counter and name, and listed on the security page', async ({
    assert,
  }) => {
    const user = await createUser('passkey')
    const visitor = new Visitor()
    await visitor.signIn(user.email, MFA_PASSWORD)

    const laptop = await authenticatorForTests()
    const first = await registerPasskey(visitor, laptop, { name: 'Work laptop' })
    assert.equal(first.response.status, 201)
    const body: any = await first.response.json()
    assert.equal(body.passkey.name, 'Work laptop')
    assert.isNull(body.passkey.lastUsedAt)
    assert.equal(first.creation.rp.id, 'localhost')
    assert.equal(first.creation.user.name, user.email)
    assert.deepEqual(first.creation.excludeCredentials, [])

    const phone = await authenticatorForTests()
    const second = await registerPasskey(visitor, phone)
    assert.equal(second.response.status, 201)
    assert.deepEqual(
      second.creation.excludeCredentials.map((item: any) => item.id),
      [first.credential.id],
      'the first passkey is excluded'
    )

    const rows = await passkeyRowsOf(user)
    assert.lengthOf(rows, 2)
    assert.equal(rows[0].credential_id, first.credential.id)
    assert.equal(Number(rows[0].counter), 0)
    assert.equal(rows[0].transports, '["internal"]')
    assert.equal(rows[1].name, 'Passkey 2', 'a default name')

    const page = await visitor.fetch('/account/security', { headers: HTML })
    assert.equal(page.status, 200)
    const html = await page.text()
    assertPagePolicy(assert, Object.fromEntries(page.headers), html)
    assert.include(html, `<h3 id="passkey-${rows[0].id}">Work laptop</h3>`)
    assert.include(html, `<h3 id="passkey-${rows[1].id}">Passkey 2</h3>`)
    assert.include(html, 'Never used to sign in.')
    assert.include(html, '<script src="/js/passkeys.js" defer></script>')
  })

  test('a registration response is accepted once: posted again it is refused (its challenge is used up)', async ({
    assert,
  }) => {
    const user = await createUser('passkey')
    const visitor = new Visitor()
    await visitor.signIn(user.email, MFA_PASSWORD)
    const authenticator = await authenticatorForTests()
    const { response, credential } = await registerPasskey(visitor, authenticator)
    assert.equal(response.status, 201)

    const again = await postJson(visitor, '/account/passkeys', { response: credential })
    assert.equal(again.status, 400)
    assert.equal(errorCodeOf(await again.json()), 'E_PASSKEY_REJECTED')

    await ceremonyOptions(visitor, '/account/passkeys/options')
    const otherChallenge = await postJson(visitor, '/account/passkeys', {
      response: credential,
    })
    assert.equal(otherChallenge.status, 400, 'signed for another challenge')
    assert.lengthOf(await passkeyRowsOf(user), 1)
  })

  test(
    '{format}: a response from another origin or for another relying party is a 400 E_PASSKEY_REJECTED'
  )
    .with(API_FORMATS)
    .run(async ({ assert }, { accept }) => {
      const user = await createUser('passkey')
      const visitor = new Visitor()
      await visitor.signIn(user.email, MFA_PASSWORD)
      const authenticator = await authenticatorForTests()
      for (const overrides of [
        { origin: 'http://evil.localhost:3333' },
        { rpId: 'evil.example' },
        { userVerified: false },
      ]) {
        const { response } = await registerPasskey(visitor, authenticator, { overrides, accept })
        assert.equal(response.status, 400, JSON.stringify(overrides))
        assert.equal(errorCodeOf(await response.json()), 'E_PASSKEY_REJECTED')
      }
      assert.lengthOf(await passkeyRowsOf(user), 0)
    })

  test('HTML: a refused response gets the 400 page; a body without a response, the form back', async ({
    assert,
  }) => {
    const user = await createUser('passkey')
    const visitor = new Visitor()
    await visitor.signIn(user.email, MFA_PASSWORD)
    const authenticator = await authenticatorForTests()
    const { response } = await registerPasskey(visitor, authenticator, {
      overrides: { origin: 'http://evil.example' },
      accept: 'text/html',
    })
    assert.equal(response.status, 400)
    assert.include(response.headers.get('content-type'), 'text/html')
    const html = await response.text()
    assert.include(html, 'This passkey could not be verified.')

    const { token } = await visitor.form('/account/security')
    const empty = await visitor.post('/account/passkeys', { _csrf: token, name: 'x' })
    assert.equal(empty.status, 302)
  })

  test('one registration response posted in parallel: exactly one passkey is stored', async ({
    assert,
  }) => {
    const user = await createUser('passkey')
    const visitor = new Visitor()
    await visitor.signIn(user.email, MFA_PASSWORD)
    const authenticator = await authenticatorForTests()
    const creation = await ceremonyOptions(visitor, '/account/passkeys/options')
    const credential = authenticator.register(creation)
    const csrf = await apiCsrfToken(visitor)
    const statuses = await Promise.all(
      Array.from({ length: 4 }, () =>
        postJson(visitor, '/account/passkeys', { response: credential }, { csrf }).then(
          (response) => response.status
        )
      )
    )
    assert.deepEqual(
      statuses.filter((status) => status < 300),
      [201],
      `one is stored, the others are refused: ${statuses}`
    )
    assert.lengthOf(await passkeyRowsOf(user), 1)
  })

  test('without a signed-in session: 401 (JSON), no challenge is made', async ({ assert }) => {
    const visitor = new Visitor()
    const response = await postJson(visitor, '/account/passkeys/options')
    assert.equal(response.status, 401)
  })
})

test.group('Passkeys | second factor', () => {
  test(
    '{format}: a user with a passkey signs in with the password into a session without mfa; the passkey gives it'
  )
    .with(API_FORMATS)
    .run(async ({ assert }, { accept }) => {
      const { user, authenticator } = await userWithPasskey()
      const visitor = new Visitor()
      await visitor.signIn(user.email, MFA_PASSWORD)

      const denied = await visitor.fetch('/api/me', { headers: { accept } })
      assert.equal(denied.status, 403)
      assert.deepEqual(claimFailuresOf(await denied.json()), [
        {
          id: 'mfa',
          reason: { message: 'MFA requirement for auth is not satisfied', factors: ['passkey'] },
        },
      ])

      const tokenBefore = sessionTokenOfVisitor(visitor)
      const secretBefore = (await sessionDataOf(visitor))!['csrf-secret']
      const { response, request } = await passkeyChallenge(visitor, authenticator, { accept })
      assert.equal(response.status, 200)
      assert.deepEqual(await response.json(), { mfa: 'passkey', redirect: '/billing' })
      assert.deepEqual(
        request.allowCredentials.map((item: any) => item.id),
        [authenticator.passkeys[0].credentialId.toString('base64url')]
      )
      assert.equal(request.userVerification, 'required')

      assert.notEqual(sessionTokenOfVisitor(visitor), tokenBefore, 'the token rotated')
      const data = (await sessionDataOf(visitor))!
      assert.notEqual(data['csrf-secret'], secretBefore, 'a new CSRF secret')
      assert.equal(data.mfa.method, 'passkey')

      const me = await visitor.fetch('/api/me', { headers: { accept } })
      assert.equal(me.status, 200)
      const [row] = await passkeyRowsOf(user)
      assert.equal(Number(row.counter), 1)
      assert.isNotNull(row.last_used_at)
    })

  test('the challenge page offers "Use a passkey" to users with one, and the code form to users with an app', async ({
    assert,
  }) => {
    const { user } = await userWithPasskey()
    const visitor = new Visitor()
    await visitor.signIn(user.email, MFA_PASSWORD)
    const page = await visitor.fetch('/mfa/challenge?next=%2Fbilling', { headers: HTML })
    const html = await page.text()
    assertPagePolicy(assert, Object.fromEntries(page.headers), html)
    assert.include(html, 'Use a passkey')
    assert.include(html, 'data-options="/mfa/challenge/passkey/options"')
    assert.notInclude(html, 'name="code"', 'no app, no code form')

    const withApp = await userWithTotp()
    const other = new Visitor()
    await other.signIn(withApp.user.email, MFA_PASSWORD)
    const appResponse = await other.fetch('/mfa/challenge', { headers: HTML })
    const appPage = await appResponse.text()
    assert.include(appPage, 'name="code"')
    assert.notInclude(appPage, 'Use a passkey')
  })

  test('a user with an app and a passkey: either passes, and the reason lists both', async ({
    assert,
  }) => {
    const { user, secret } = await userWithTotp()
    const owner = new Visitor()
    await owner.signIn(user.email, MFA_PASSWORD)
    const { token } = await owner.form('/mfa/challenge')
    await owner.post('/mfa/challenge', { _csrf: token, code: totpCode(secret, Date.now()) })
    const authenticator = await authenticatorForTests()
    const added = await registerPasskey(owner, authenticator)
    assert.equal(added.response.status, 201)

    const visitor = new Visitor()
    await visitor.signIn(user.email, MFA_PASSWORD)
    const denied = await visitor.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.deepEqual(claimFailuresOf(await denied.json())[0].reason.factors, [
      'totp',
      'recovery_code',
      'passkey',
    ])
    const { response } = await passkeyChallenge(visitor, authenticator)
    assert.equal(response.status, 200)
  })

  test('an assertion is accepted once: posted again, refused', async ({ assert }) => {
    const { user, authenticator } = await userWithPasskey()
    const visitor = new Visitor()
    await visitor.signIn(user.email, MFA_PASSWORD)
    const { response, assertion } = await passkeyChallenge(visitor, authenticator)
    assert.equal(response.status, 200)

    const other = new Visitor()
    await other.signIn(user.email, MFA_PASSWORD)
    await ceremonyOptions(other, '/mfa/challenge/passkey/options')
    const replayed = await postJson(other, '/mfa/challenge/passkey', { response: assertion })
    assert.equal(replayed.status, 400)
    assert.equal(errorCodeOf(await replayed.json()), 'E_PASSKEY_REJECTED')
    const me = await other.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(me.status, 403)
  })

  test(
    '{format}: a counter that went back (a cloned authenticator), another origin or rp id: 400 E_PASSKEY_REJECTED, still without mfa'
  )
    .with(API_FORMATS)
    .run(async ({ assert }, { accept }) => {
      const { user, authenticator } = await userWithPasskey()
      const visitor = new Visitor()
      await visitor.signIn(user.email, MFA_PASSWORD)
      const first = await passkeyChallenge(visitor, authenticator)
      assert.equal(first.response.status, 200)

      const other = new Visitor()
      await other.signIn(user.email, MFA_PASSWORD)
      for (const overrides of [
        { counter: 1 },
        { counter: 0 },
        { origin: 'http://evil.example' },
        { rpId: 'evil.example' },
        { userVerified: false },
      ]) {
        const { response } = await passkeyChallenge(other, authenticator, { overrides, accept })
        assert.equal(response.status, 400, JSON.stringify(overrides))
        assert.equal(errorCodeOf(await response.json()), 'E_PASSKEY_REJECTED')
      }
      const me = await other.fetch('/api/me', { headers: JSON_ACCEPT })
      assert.equal(me.status, 403)
      const [row] = await passkeyRowsOf(user)
      assert.equal(Number(row.counter), 1, 'the counter is unchanged')
    })

  test('one assertion posted in parallel at the challenge: exactly one passes', async ({
    assert,
  }) => {
    const { user, authenticator } = await userWithPasskey()
    const visitor = new Visitor()
    await visitor.signIn(user.email, MFA_PASSWORD)
    const request = await ceremonyOptions(visitor, '/mfa/challenge/passkey/options')
    const assertion = authenticator.authenticate(request)
    const csrf = await apiCsrfToken(visitor)
    const statuses = await Promise.all(
      Array.from({ length: 4 }, () =>
        postJson(visitor, '/mfa/challenge/passkey', { response: assertion }, { csrf }).then(
          (response) => response.status
        )
      )
    )
    assert.deepEqual(
      statuses.filter((status) => status < 300),
      [200],
      `one passes, the others are refused: ${statuses}`
    )
  })

  test('another user’s passkey is not a second factor for this one', async ({ assert }) => {
    const { authenticator } = await userWithPasskey()
    const mine = await userWithPasskey()
    const visitor = new Visitor()
    await visitor.signIn(mine.user.email, MFA_PASSWORD)
    const { response } = await passkeyChallenge(visitor, authenticator)
    assert.equal(response.status, 400)
  })
})

test.group('Passkeys | sign-in without a password', () => {
  test('a passkey alone signs in: a new session id, a new CSRF secret, the mfa claim satisfied', async ({
    assert,
  }) => {
    const { user, authenticator } = await userWithPasskey()
    const visitor = new Visitor()
    const login = await visitor.fetch('/login', { headers: HTML })
    const loginHtml = await login.text()
    assertPagePolicy(assert, Object.fromEntries(login.headers), loginHtml)
    assert.include(loginHtml, 'data-passkey="sign-in"')

    const { response, request } = await passkeySignIn(visitor, authenticator)
    assert.isUndefined(request.allowCredentials, 'any discoverable passkey')
    assert.equal(response.status, 200)
    assert.deepEqual(await response.json(), { user: user.profile(), redirect: '/' })
    const token = sessionTokenOfVisitor(visitor)
    assert.isDefined(token)

    const me = await visitor.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(me.status, 200, 'no second factor asked')
    const data = (await sessionDataOf(visitor))!
    assert.equal(data.mfa.method, 'passkey')
    assert.deepEqual(data.claims.mfa.value, {
      required: true,
      verified: true,
      factors: ['passkey'],
    })
  })

  test('a user with an authenticator app too is fully signed in by the passkey', async ({
    assert,
  }) => {
    const { user, secret } = await userWithTotp()
    const owner = new Visitor()
    await owner.signIn(user.email, MFA_PASSWORD)
    const { token } = await owner.form('/mfa/challenge')
    await owner.post('/mfa/challenge', { _csrf: token, code: totpCode(secret, Date.now()) })
    const authenticator = await authenticatorForTests()
    const added = await registerPasskey(owner, authenticator)
    assert.equal(added.response.status, 201)

    const visitor = new Visitor()
    const { response } = await passkeySignIn(visitor, authenticator)
    assert.equal(response.status, 200)
    const dashboard = await visitor.fetch('/dashboard', { headers: HTML })
    assert.equal(dashboard.status, 200)
  })

  test('the session id the visitor had before is not the signed-in one (no fixation)', async ({
    assert,
  }) => {
    const { authenticator } = await userWithPasskey()
    const visitor = new Visitor()
    await visitor.fetch('/login', { headers: HTML })
    const request = await ceremonyOptions(visitor, '/login/passkey/options')
    const before = new Map(visitor.cookies)
    const response = await postJson(visitor, '/login/passkey', {
      response: authenticator.authenticate(request),
    })
    assert.equal(response.status, 200)
    const attacker = new Visitor()
    attacker.cookies = before
    const me = await attacker.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(me.status, 401, 'the cookies from before the sign-in are not signed in')
  })

  test(
    '{format}: a replayed assertion, an unknown passkey, a wrong origin: 400 E_PASSKEY_REJECTED, not signed in'
  )
    .with(API_FORMATS)
    .run(async ({ assert }, { accept }) => {
      const { authenticator } = await userWithPasskey()
      const first = new Visitor()
      const { response, assertion } = await passkeySignIn(first, authenticator)
      assert.equal(response.status, 200)

      const visitor = new Visitor()
      const replayed = await postJson(
        visitor,
        '/login/passkey',
        { response: assertion },
        { accept }
      )
      assert.equal(replayed.status, 400, 'no challenge in this session')
      assert.equal(errorCodeOf(await replayed.json()), 'E_PASSKEY_REJECTED')

      await ceremonyOptions(visitor, '/login/passkey/options')
      const again = await postJson(visitor, '/login/passkey', { response: assertion }, { accept })
      assert.equal(again.status, 400, 'signed for another challenge')

      const stranger = await authenticatorForTests()
      stranger.register({ challenge: 'x', user: { id: 'OTk5' } })
      const unknown = await passkeySignIn(visitor, stranger, { accept })
      assert.equal(unknown.response.status, 400, 'a passkey the site does not know')

      const phished = await passkeySignIn(visitor, authenticator, {
        accept,
        overrides: { origin: 'http://evil.example' },
      })
      assert.equal(phished.response.status, 400, 'another origin')

      const me = await visitor.fetch('/api/me', { headers: JSON_ACCEPT })
      assert.equal(me.status, 401)
    })

  test('HTML: a refused passkey sign-in gets the 400 page', async ({ assert }) => {
    const { authenticator } = await userWithPasskey()
    const visitor = new Visitor()
    const { response } = await passkeySignIn(visitor, authenticator, {
      accept: 'text/html',
      overrides: { rpId: 'evil.example' },
    })
    assert.equal(response.status, 400)
    assert.include(await response.text(), 'This passkey could not be verified.')
  })

  test('one assertion posted in parallel: exactly one signs in', async ({ assert }) => {
    const { authenticator } = await userWithPasskey({ keepsCounter: false })
    const visitor = new Visitor()
    const request = await ceremonyOptions(visitor, '/login/passkey/options')
    const assertion = authenticator.authenticate(request)
    const csrf = await apiCsrfToken(visitor)
    const statuses = await Promise.all(
      Array.from({ length: 4 }, () =>
        postJson(visitor, '/login/passkey', { response: assertion }, { csrf }).then(
          (response) => response.status
        )
      )
    )
    assert.deepEqual(
      statuses.filter((status) => status < 300),
      [200],
      `one signs in, the others are refused: ${statuses}`
    )
  })

  test('a signed-in visitor cannot start a passkey sign-in', async ({ assert }) => {
    const visitor = new Visitor()
    await visitor.signIn('demo@example.com', 'password')
    const response = await postJson(visitor, '/login/passkey/options')
    assert.notEqual(response.status, 200)
  })
})

test.group('Passkeys | managing them', () => {
  test('renaming: the form (browsers) and JSON; an empty name is refused', async ({ assert }) => {
    const { user, owner } = await userWithPasskey()
    const [row] = await passkeyRowsOf(user)
    const { token } = await owner.form('/account/security')
    const renamed = await owner.post(`/account/passkeys/${row.id}/rename`, {
      _csrf: token,
      name: '  Phone  ',
    })
    assert.equal(renamed.status, 302)
    assert.equal(renamed.headers.get('location'), '/account/security')
    const security = await owner.fetch('/account/security', { headers: HTML })
    const html = await security.text()
    assert.include(html, 'The passkey was renamed &quot;Phone&quot;.')
    assert.include(html, `<h3 id="passkey-${row.id}">Phone</h3>`)

    const api = await postJson(owner, `/account/passkeys/${row.id}/rename`, {
      name: 'Tablet',
    })
    assert.equal(api.status, 200)
    assert.equal(((await api.json()) as any).passkey.name, 'Tablet')

    const empty = await postJson(owner, `/account/passkeys/${row.id}/rename`, {
      name: '   ',
    })
    assert.equal(empty.status, 422)
    const [stored] = await passkeyRowsOf(user)
    assert.equal(stored.name, 'Tablet')
  })

  test('removing a passkey: it signs in no more, and no longer counts as a second factor', async ({
    assert,
  }) => {
    const { user, owner, authenticator } = await userWithPasskey()
    const [row] = await passkeyRowsOf(user)
    const { token } = await owner.form('/account/security')
    const removed = await owner.post(`/account/passkeys/${row.id}/remove`, {
      _csrf: token,
    })
    assert.equal(removed.status, 302)
    assert.equal(removed.headers.get('location'), '/account/security')
    assert.lengthOf(await passkeyRowsOf(user), 0)
    const security = await owner.fetch('/account/security', { headers: HTML })
    const html = await security.text()
    assert.include(html, 'The passkey &quot;Laptop&quot; was removed.')
    assert.include(html, 'No passkey yet.')

    const visitor = new Visitor()
    const { response } = await passkeySignIn(visitor, authenticator)
    assert.equal(response.status, 400)

    await visitor.signIn(user.email, MFA_PASSWORD)
    const me = await visitor.fetch('/api/me', { headers: JSON_ACCEPT })
    assert.equal(me.status, 200, 'no second factor left to ask for')
  })

  test('{format}: another user’s passkey cannot be renamed or removed (404)')
    .with(API_FORMATS)
    .run(async ({ assert }, { accept }) => {
      const { user } = await userWithPasskey()
      const [row] = await passkeyRowsOf(user)
      const visitor = new Visitor()
      await visitor.signIn('demo@example.com', 'password')
      for (const action of ['rename', 'remove']) {
        const response = await postJson(
          visitor,
          `/account/passkeys/${row.id}/${action}`,
          { name: 'mine' },
          { accept }
        )
        assert.equal(response.status, 404, action)
      }
      assert.lengthOf(await passkeyRowsOf(user), 1)
    })
})

test.group('Passkeys | recent proof and how the session signed in', () => {
  test(
    '{format}: past the recent-auth window the passkey routes answer 403 recent-auth; a passkey at the challenge is a new proof'
  )
    .with(API_FORMATS)
    .run(async ({ assert }, { accept }) => {
      const { user, authenticator } = await userWithPasskey()
      const [row] = await passkeyRowsOf(user)
      const visitor = new Visitor()
      await visitor.signIn(user.email, MFA_PASSWORD)
      timeTravel('11 minutes')

      const routes = [
        '/account/passkeys/options',
        '/account/passkeys',
        `/account/passkeys/${row.id}/rename`,
        `/account/passkeys/${row.id}/remove`,
      ]
      const { response: passed } = await passkeyChallenge(visitor, authenticator)
      assert.equal(passed.status, 200, 'the challenge needs no recent proof')

      const late = new Visitor()
      await late.signIn(user.email, MFA_PASSWORD)
      const { response: challenge } = await passkeyChallenge(late, authenticator)
      assert.equal(challenge.status, 200)
      timeTravel('11 minutes')
      for (const path of routes) {
        const denied = await postJson(late, path, { name: 'x' }, { accept })
        assert.equal(denied.status, 403, path)
        const failures = claimFailuresOf(await denied.json())
        assert.deepEqual(
          failures.map((failure) => failure.id),
          ['recent-auth'],
          path
        )
      }
      assert.lengthOf(await passkeyRowsOf(user), 1, 'nothing changed')

      const fresh = await postJson(visitor, '/account/passkeys/options', {}, { accept })
      assert.equal(fresh.status, 403, 'the proof of the challenge is old by now too')
    })

  test(
    '{format}: "Confirm it\'s you" with a passkey: a new proof, the token rotated; a challenge of the second factor is not accepted there'
  )
    .with(API_FORMATS)
    .run(async ({ assert }, { accept }) => {
      const { user, authenticator } = await userWithPasskey()
      const visitor = new Visitor()
      await visitor.signIn(user.email, MFA_PASSWORD)
      await passkeyChallenge(visitor, authenticator)
      timeTravel('11 minutes')
      const stale = await postJson(visitor, '/account/passkeys/options', {}, { accept })
      assert.equal(stale.status, 403, 'past the window')

      /**
       * The challenge page's options are for its own ceremony: an
       * assertion of them is refused at the confirm page.
       */
      const wrongCeremony = authenticator.authenticate(
        await ceremonyOptions(visitor, '/mfa/challenge/passkey/options')
      )
      const refused = await postJson(
        visitor,
        '/confirm/passkey',
        { response: wrongCeremony },
        { accept }
      )
      assert.equal(refused.status, 400)
      assert.equal(errorCodeOf(await refused.json()), 'E_PASSKEY_REJECTED')

      const before = sessionTokenOfVisitor(visitor)
      const request = await ceremonyOptions(visitor, '/confirm/passkey/options')
      const confirmed = await postJson(
        visitor,
        '/confirm/passkey',
        { response: authenticator.authenticate(request), next: '/account/security' },
        { accept }
      )
      assert.equal(confirmed.status, 200)
      assert.deepEqual(await confirmed.json(), {
        confirmed: 'passkey',
        redirect: '/account/security',
      })
      assert.notEqual(sessionTokenOfVisitor(visitor), before, 'the token rotated')
      const data = (await sessionDataOf(visitor))!
      assert.equal(data.authProof.method, 'passkey')
      const fresh = await postJson(visitor, '/account/passkeys/options', {}, { accept })
      assert.equal(fresh.status, 200, 'a recent proof again')
    })

  test('the confirm page offers a passkey to users with one, the code form only with an app', async ({
    assert,
  }) => {
    const { user, authenticator } = await userWithPasskey()
    const visitor = new Visitor()
    await visitor.signIn(user.email, MFA_PASSWORD)
    await passkeyChallenge(visitor, authenticator)
    const page = await visitor.fetch('/confirm', { headers: { accept: 'text/html' } })
    const html = await page.text()
    assert.include(html, 'data-passkey="confirm"')
    assert.include(html, 'data-options="/confirm/passkey/options"')
    assert.notInclude(html, 'name="code"')
  })

  test('a passkey at the challenge is a recent proof and joins the sign-in methods', async ({
    assert,
  }) => {
    const { user, authenticator } = await userWithPasskey()
    const visitor = new Visitor()
    await visitor.signIn(user.email, MFA_PASSWORD)
    timeTravel('11 minutes')
    const { response } = await passkeyChallenge(visitor, authenticator)
    assert.equal(response.status, 200)

    const data = (await sessionDataOf(visitor))!
    assert.deepEqual(data.signInMethods, ['password', 'passkey'])
    assert.equal(data.authProof.method, 'passkey')
    const options = await postJson(visitor, '/account/passkeys/options')
    assert.equal(options.status, 200, 'a recent proof')
  })

  test('a passkey sign-in records "passkey": a proof, and shown on the sessions page', async ({
    assert,
  }) => {
    const { authenticator } = await userWithPasskey()
    const visitor = new Visitor()
    const { response } = await passkeySignIn(visitor, authenticator)
    assert.equal(response.status, 200)

    const data = (await sessionDataOf(visitor))!
    assert.deepEqual(data.signInMethods, ['passkey'])
    assert.equal(data.authProof.method, 'passkey')
    const options = await postJson(visitor, '/account/passkeys/options')
    assert.equal(options.status, 200, 'a recent proof')

    const sessions = await visitor.fetch('/sessions', { headers: HTML })
    assert.equal(sessions.status, 200)
    assert.include(await sessions.text(), 'passkey')
  })
})

/**
 * Small limits, so that a lock is reached in a few posts.
 */
const IP_ATTEMPTS = 3

test.group('Passkeys | the sign-in is throttled per address', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start({
      TRUST_PROXY: 'loopback',
      THROTTLE_IP_ATTEMPTS: String(IP_ATTEMPTS),
      THROTTLE_LOCKOUT: '3600s',
    })
  })
  group.teardown(async () => {
    await server?.stop()
  })

  /**
   * A browser on the spawned server from its own address.
   */
  const from = (ip: string): Visitor['send'] => {
    return (path, init = {}) => {
      const headers = new Headers(init.headers)
      headers.set('x-forwarded-for', ip)
      return server.fetch(path, { ...init, headers })
    }
  }

  test('past the limit for an address, even a good passkey gets 429; another address still signs in', async ({
    assert,
  }) => {
    const user = await createUser('passkey')
    const owner = new Visitor(from(freshIp()))
    await owner.signIn(user.email, MFA_PASSWORD)
    const authenticator = new SoftwareAuthenticator(server.url)
    const added = await registerPasskey(owner, authenticator)
    assert.equal(added.response.status, 201)

    const visitor = new Visitor(from(freshIp()))
    for (let attempt = 0; attempt < IP_ATTEMPTS; attempt++) {
      const { response } = await passkeySignIn(visitor, authenticator, {
        overrides: { origin: 'http://evil.example' },
      })
      assert.equal(response.status, 400, `attempt ${attempt + 1}`)
    }
    const { response: locked } = await passkeySignIn(visitor, authenticator)
    assert.equal(locked.status, 429)
    assert.isTrue(
      server.logLines().some((line) => line.event === 'passkey_sign_in.locked'),
      'the lockout is logged'
    )

    const elsewhere = new Visitor(from(freshIp()))
    const { response } = await passkeySignIn(elsewhere, authenticator)
    assert.equal(response.status, 200)
  })
})
