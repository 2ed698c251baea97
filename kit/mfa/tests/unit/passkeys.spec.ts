import { test } from '@japa/runner'
import {
  defineConfig,
  passkeyAuthenticationOptions,
  passkeyRegistrationOptions,
  PasskeyChallenges,
  PasskeyRejectedException,
  passkeyResponseIds,
  relyingPartyFor,
  signCounterAdvances,
  verifyPasskeyAuthentication,
  verifyPasskeyRegistration,
  type RelyingParty,
  type StoredPasskey,
} from '#kit/mfa'
import { SoftwareAuthenticator } from '#kit/testing/webauthn_authenticator'

const RP: RelyingParty = {
  id: 'app.example.com',
  name: 'Example',
  origin: 'https://app.example.com',
}

/**
 * A session as the challenge store sees it.
 */
function fakeSession() {
  const data = new Map<string, unknown>()
  return {
    data,
    put: (key: string, value: unknown) => void data.set(key, value),
    pull: (key: string) => {
      const value = data.get(key)
      data.delete(key)
      return value
    },
  }
}

/**
 * Registers a passkey of a software authenticator, as the server stores it.
 */
async function registered(authenticator = new SoftwareAuthenticator(RP.origin)) {
  const options = await passkeyRegistrationOptions({
    rp: RP,
    user: { handle: '42', name: 'a@example.com', displayName: 'a@example.com' },
    existing: [],
    timeoutMs: 60_000,
  })
  const passkey = await verifyPasskeyRegistration({
    rp: RP,
    response: authenticator.register(options),
    expectedChallenge: options.challenge,
  })
  return { authenticator, passkey }
}

/**
 * The rejection reason of a promise that must fail with E_PASSKEY_REJECTED.
 */
async function rejection(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (error instanceof PasskeyRejectedException) {
      return error.reason
    }
    throw error
  }
  throw new Error('expected E_PASSKEY_REJECTED')
}

test.group('Passkeys | options', () => {
  test('registration asks for a discoverable passkey with user verification, no attestation, and excludes the user’s passkeys', async ({
    assert,
  }) => {
    const options = await passkeyRegistrationOptions({
      rp: RP,
      user: { handle: '42', name: 'a@example.com', displayName: 'Ada' },
      existing: [{ credentialId: 'AAAA', transports: ['usb'] }],
      timeoutMs: 300_000,
    })
    assert.deepEqual(options.rp, { name: 'Example', id: 'app.example.com' })
    assert.equal(options.user.id, Buffer.from('42').toString('base64url'))
    assert.equal(options.user.name, 'a@example.com')
    assert.equal(options.user.displayName, 'Ada')
    assert.equal(options.attestation, 'none')
    assert.equal(options.timeout, 300_000)
    assert.equal(options.authenticatorSelection?.residentKey, 'required')
    assert.equal(options.authenticatorSelection?.userVerification, 'required')
    assert.deepEqual(options.excludeCredentials, [
      { id: 'AAAA', type: 'public-key', transports: ['usb'] },
    ])
    assert.deepEqual(
      options.pubKeyCredParams.map((param) => param.alg),
      [-8, -7, -257],
      'EdDSA, ES256, RS256'
    )
    assert.isAtLeast(Buffer.from(options.challenge, 'base64url').length, 32)
  })

  test('authentication requires user verification; without a list, any discoverable passkey', async ({
    assert,
  }) => {
    const open = await passkeyAuthenticationOptions({ rp: RP, timeoutMs: 60_000 })
    assert.equal(open.rpId, 'app.example.com')
    assert.equal(open.userVerification, 'required')
    assert.isUndefined(open.allowCredentials)
    const listed = await passkeyAuthenticationOptions({
      rp: RP,
      allow: [{ credentialId: 'AAAA', transports: [] }],
      timeoutMs: 60_000,
    })
    assert.deepEqual(listed.allowCredentials, [{ id: 'AAAA', type: 'public-key', transports: [] }])
    assert.notEqual(open.challenge, listed.challenge, 'a new challenge each time')
  })
})

test.group('Passkeys | challenge', () => {
  test('a challenge is taken once', ({ assert }) => {
    const challenges = new PasskeyChallenges(60_000)
    const session = fakeSession()
    challenges.remember(session, 'sign_in', 'abc')
    assert.equal(challenges.take(session, 'sign_in'), 'abc')
    assert.throws(() => challenges.take(session, 'sign_in'), PasskeyRejectedException.message)
  })

  test('an expired challenge is refused, and gone', ({ assert }) => {
    const challenges = new PasskeyChallenges(60_000)
    const session = fakeSession()
    challenges.remember(session, 'sign_in', 'abc', { now: 1_000 })
    assert.throws(() => challenges.take(session, 'sign_in', { now: 61_000 }))
    assert.isFalse(session.data.has('passkey_challenge'))
    challenges.remember(session, 'sign_in', 'abc', { now: 1_000 })
    assert.equal(challenges.take(session, 'sign_in', { now: 60_999 }), 'abc')
  })

  test('a challenge of another ceremony or user is refused, and gone', ({ assert }) => {
    const challenges = new PasskeyChallenges(60_000)
    const session = fakeSession()
    challenges.remember(session, 'registration', 'abc', { userId: 1 })
    assert.throws(() => challenges.take(session, 'sign_in'))
    challenges.remember(session, 'registration', 'abc', { userId: 1 })
    assert.throws(() => challenges.take(session, 'registration', { userId: 2 }))
    assert.isFalse(session.data.has('passkey_challenge'))
    challenges.remember(session, 'registration', 'abc', { userId: 1 })
    assert.equal(challenges.take(session, 'registration', { userId: '1' }), 'abc')
  })

  test('new options replace the pending challenge', ({ assert }) => {
    const challenges = new PasskeyChallenges(60_000)
    const session = fakeSession()
    challenges.remember(session, 'sign_in', 'first')
    challenges.remember(session, 'sign_in', 'second')
    assert.equal(challenges.take(session, 'sign_in'), 'second')
  })
})

test.group('Passkeys | counter rule', () => {
  test('the counter must increase, unless the authenticator keeps none (0 and 0)', ({ assert }) => {
    assert.isTrue(signCounterAdvances(0, 0))
    assert.isTrue(signCounterAdvances(0, 1))
    assert.isTrue(signCounterAdvances(5, 6))
    assert.isFalse(signCounterAdvances(5, 5), 'the same counter twice')
    assert.isFalse(signCounterAdvances(5, 4), 'a regression')
    assert.isFalse(signCounterAdvances(5, 0), 'a counter that stopped')
  })

  test('a genuine assertion whose counter did not increase is refused as a clone', async ({
    assert,
  }) => {
    const { authenticator, passkey } = await registered()
    const stored: StoredPasskey = { ...passkey, counter: 7 }
    const options = await passkeyAuthenticationOptions({ rp: RP, timeoutMs: 60_000 })
    const reason = await rejection(
      verifyPasskeyAuthentication({
        rp: RP,
        response: authenticator.authenticate(options, { counter: 7 }),
        expectedChallenge: options.challenge,
        passkey: stored,
      })
    )
    assert.equal(reason, 'counter')

    const use = await verifyPasskeyAuthentication({
      rp: RP,
      response: authenticator.authenticate(options, { counter: 8 }),
      expectedChallenge: options.challenge,
      passkey: stored,
    })
    assert.deepEqual(use, { counter: 8, backedUp: true })
  })

  test('an authenticator that keeps no counter (always 0) is accepted while the stored one is 0', async ({
    assert,
  }) => {
    const { authenticator, passkey } = await registered(
      new SoftwareAuthenticator(RP.origin, RP.id, false)
    )
    for (let use = 0; use < 2; use++) {
      const options = await passkeyAuthenticationOptions({ rp: RP, timeoutMs: 60_000 })
      const result = await verifyPasskeyAuthentication({
        rp: RP,
        response: authenticator.authenticate(options),
        expectedChallenge: options.challenge,
        passkey,
      })
      assert.equal(result.counter, 0)
    }
  })
})

test.group('Passkeys | verification', () => {
  test('a registration gives the passkey to store', async ({ assert }) => {
    const { authenticator, passkey } = await registered()
    assert.equal(passkey.credentialId, authenticator.passkeys[0].credentialId.toString('base64url'))
    assert.equal(passkey.counter, 0)
    assert.deepEqual(passkey.transports, ['internal'])
    assert.isTrue(passkey.backupEligible)
    assert.isTrue(passkey.backedUp)
    assert.isString(passkey.publicKey)
  })

  test('registration: another challenge, origin or rp id, or no user verification is refused', async ({
    assert,
  }) => {
    for (const overrides of [
      { challenge: 'b3RoZXI' },
      { origin: 'https://evil.example' },
      { rpId: 'evil.example' },
      { userVerified: false },
      { type: 'webauthn.get' },
    ]) {
      const authenticator = new SoftwareAuthenticator(RP.origin)
      const options = await passkeyRegistrationOptions({
        rp: RP,
        user: { handle: '42', name: 'a@example.com', displayName: 'a' },
        existing: [],
        timeoutMs: 60_000,
      })
      const reason = await rejection(
        verifyPasskeyRegistration({
          rp: RP,
          response: authenticator.register(options, overrides),
          expectedChallenge: options.challenge,
        })
      )
      assert.equal(reason, 'response', JSON.stringify(overrides))
    }
  })

  test('authentication: another challenge, origin or rp id, no user verification, or another key is refused', async ({
    assert,
  }) => {
    const { authenticator, passkey } = await registered()
    for (const overrides of [
      { challenge: 'b3RoZXI' },
      { origin: 'https://evil.example' },
      { rpId: 'evil.example' },
      { userVerified: false },
    ]) {
      const options = await passkeyAuthenticationOptions({ rp: RP, timeoutMs: 60_000 })
      const reason = await rejection(
        verifyPasskeyAuthentication({
          rp: RP,
          response: authenticator.authenticate(options, overrides),
          expectedChallenge: options.challenge,
          passkey,
        })
      )
      assert.equal(reason, 'response', JSON.stringify(overrides))
    }
    const other = await registered()
    const options = await passkeyAuthenticationOptions({ rp: RP, timeoutMs: 60_000 })
    const reason = await rejection(
      verifyPasskeyAuthentication({
        rp: RP,
        response: authenticator.authenticate(options),
        expectedChallenge: options.challenge,
        passkey: { ...passkey, publicKey: other.passkey.publicKey },
      })
    )
    assert.equal(reason, 'response', 'signed by another key')
  })

  test('bodies that are no response at all are refused, not thrown', async ({ assert }) => {
    const { passkey } = await registered()
    for (const response of [null, 'x', 42, {}, { id: 'AAAA' }, { id: 'AAAA', response: 'x' }]) {
      assert.equal(
        await rejection(verifyPasskeyRegistration({ rp: RP, response, expectedChallenge: 'x' })),
        'response'
      )
      assert.equal(
        await rejection(
          verifyPasskeyAuthentication({ rp: RP, response, expectedChallenge: 'x', passkey })
        ),
        'response'
      )
    }
    assert.isNull(passkeyResponseIds(null))
    assert.isNull(passkeyResponseIds({ id: 'not base64url!' }))
    assert.deepEqual(passkeyResponseIds({ id: 'AAAA', response: { userHandle: 'NDI' } }), {
      credentialId: 'AAAA',
      userHandle: '42',
    })
  })
})

test.group('Passkeys | config', () => {
  test('the rp id defaults to the origin’s host; the request’s origin only when allowed', ({
    assert,
  }) => {
    const fixed = defineConfig({ passkeys: { rpName: 'X', origin: 'https://app.example.com/' } })
    const request = {
      protocol: () => 'http',
      host: () => 'evil.example:80',
      hostname: () => 'evil.example',
    }
    assert.deepEqual(relyingPartyFor(fixed.passkeys, request), {
      id: 'app.example.com',
      name: 'X',
      origin: 'https://app.example.com',
    })
    const parent = defineConfig({
      passkeys: { rpName: 'X', origin: 'https://app.example.com', rpId: 'example.com' },
    })
    assert.equal(relyingPartyFor(parent.passkeys, request).id, 'example.com')

    const dev = defineConfig({ passkeys: { rpName: 'X', originFromRequest: true } })
    const local = {
      protocol: () => 'http',
      host: () => 'localhost:3333',
      hostname: () => 'localhost',
    }
    assert.deepEqual(relyingPartyFor(dev.passkeys, local), {
      id: 'localhost',
      name: 'X',
      origin: 'http://localhost:3333',
    })
    assert.equal(dev.passkeys.challengeLifetimeMs, 300_000)
  })

  test('mistakes stop the boot', ({ assert }) => {
    assert.throws(() => defineConfig({ passkeys: { rpName: 'X' } }), /APP_URL/)
    assert.throws(
      () =>
        defineConfig({ passkeys: { rpName: 'X', origin: 'https://a.example', rpId: 'b.example' } }),
      /parent domain/
    )
    assert.throws(
      () =>
        defineConfig({ passkeys: { rpName: 'X', origin: 'http://127.0.0.1', rpId: '127.0.0.1' } }),
      /IP address/
    )
    assert.throws(() => defineConfig({ passkeys: { rpName: 'X', origin: 'nope' } }), /not a URL/)
    assert.throws(
      () =>
        defineConfig({
          passkeys: { rpName: 'X', originFromRequest: true, challengeLifetime: '0s' },
        }),
      /challengeLifetime/
    )
  })
})
