import { test, timeTravel } from '@japa/runner'
import type { Session } from '@adonisjs/session'
import { RecentAuthClaim } from '#kit/sessions/src/claims/recent_auth_claim'
import { AUTH_PROOF_SESSION_KEY, recordAuthProof } from '#kit/sessions/src/sign_in_record'

const MINUTE = 60_000

/**
 * A session's values, with the two methods the claim and `recordAuthProof`
 * use.
 */
function sessionWith(values: Record<string, unknown> = {}) {
  return {
    get: (key: string) => values[key],
    put: (key: string, value: unknown) => {
      values[key] = value
    },
  } as unknown as Session
}

/**
 * A clock that stands still until moved.
 */
function clockAt(start: number) {
  const clock = { ms: start, now: () => clock.ms }
  return clock
}

test.group('RecentAuthClaim', () => {
  test('its value is the time of the last proof, null without one', async ({ assert }) => {
    const claim = new RecentAuthClaim(10 * MINUTE)
    const session = sessionWith()
    assert.isNull(await claim.fetchValue(undefined, session))

    recordAuthProof(session, 'password', 1_700_000_000_000)
    assert.equal(await claim.fetchValue(undefined, session), 1_700_000_000_000)

    // A value of another shape (an older version's, a hand-edited store) is no proof.
    assert.isNull(
      await claim.fetchValue(
        undefined,
        sessionWith({ [AUTH_PROOF_SESSION_KEY]: { at: 'yesterday', method: 'password' } })
      )
    )
  })

  test('a proof counts for the window, to the millisecond, then expires', ({ assert }) => {
    const clock = clockAt(1_700_000_000_000)
    const validator = new RecentAuthClaim(10 * MINUTE, 'recent-auth', clock.now).recent()
    const provedAt = clock.ms

    assert.isNull(validator.validate(provedAt))
    clock.ms = provedAt + 10 * MINUTE
    assert.isNull(validator.validate(provedAt))

    clock.ms = provedAt + 10 * MINUTE + 1
    assert.deepEqual(validator.validate(provedAt), {
      message: 'expired',
      ageInSeconds: 600,
      maxAgeInSeconds: 600,
    })
    clock.ms = provedAt + 25 * MINUTE
    assert.deepEqual(validator.validate(provedAt), {
      message: 'expired',
      ageInSeconds: 1500,
      maxAgeInSeconds: 600,
    })
  })

  test('without a clock of its own, it follows the global clock as it moves', ({ assert }) => {
    const validator = new RecentAuthClaim(10 * MINUTE).recent()
    const provedAt = Date.now()
    assert.isNull(validator.validate(provedAt))

    timeTravel('11 minutes')
    assert.equal(validator.validate(provedAt)?.message, 'expired')
  })

  test('no proof fails with "value does not exist", as SuperTokens says it', ({ assert }) => {
    const validator = new RecentAuthClaim(5 * MINUTE).recent()
    for (const value of [null, undefined]) {
      assert.deepEqual(validator.validate(value), {
        message: 'value does not exist',
        maxAgeInSeconds: 300,
      })
    }
    assert.equal(validator.id, 'recent-auth')
    assert.isString(validator.requirement)
  })

  test('the value is fetched again at most once a minute, sooner for a shorter window', ({
    assert,
  }) => {
    assert.equal(new RecentAuthClaim(10 * MINUTE).maxAgeMs, MINUTE)
    assert.equal(new RecentAuthClaim(30_000).maxAgeMs, 30_000)
  })
})
