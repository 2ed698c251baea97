import { test } from '@japa/runner'
import { MAX_LIMITER_KEY_LENGTH, boundedLimiterKey } from '#kit/security/src/form_throttle'

test.group('Form throttle | limiter keys', () => {
  test('a key that fits is kept as it is, readable in the store', ({ assert }) => {
    const key = 'sign_in:account:0123456789abcdef:2001:db8::1'
    assert.equal(boundedLimiterKey(key), key)
    const longest = 'k'.repeat(MAX_LIMITER_KEY_LENGTH)
    assert.equal(boundedLimiterKey(longest), longest)
  })

  test('a longer key is cut and hashed: it fits, and keeps its start', ({ assert }) => {
    const key = `sign_in:ip:fe80::1%${'z'.repeat(5000)}`
    const bounded = boundedLimiterKey(key)
    assert.isAtMost(bounded.length, MAX_LIMITER_KEY_LENGTH)
    assert.isTrue(bounded.startsWith('sign_in:ip:fe80::1%z'))
    assert.equal(boundedLimiterKey(key), bounded)
  })

  test('two long keys that differ only past the cut get different keys', ({ assert }) => {
    const start = `sign_in:ip:fe80::1%${'z'.repeat(300)}`
    assert.notEqual(boundedLimiterKey(`${start}a`), boundedLimiterKey(`${start}b`))
    assert.notEqual(boundedLimiterKey(start), boundedLimiterKey(`${start}:lockouts`))
  })
})
