import { test } from '@japa/runner'
import {
  findRecoveryCode,
  generateRecoveryCodes,
  hashRecoveryCodes,
  normalizeRecoveryCode,
  RECOVERY_CODE_COUNT,
  type RecoveryCodeHasher,
} from '#kit/mfa'

/**
 * A hasher that shows what it was given (the app passes the hash service).
 */
const fakeHasher: RecoveryCodeHasher = {
  make: async (value) => `hashed:${value}`,
  verify: async (hashed, plain) => hashed === `hashed:${plain}`,
}

test.group('Recovery codes', () => {
  test('ten codes "xxxxx-xxxxx" of unambiguous characters, all different', ({ assert }) => {
    const codes = generateRecoveryCodes()
    assert.lengthOf(codes, RECOVERY_CODE_COUNT)
    assert.equal(RECOVERY_CODE_COUNT, 10)
    assert.lengthOf(new Set(codes), 10)
    for (const code of codes) {
      assert.match(code, /^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/)
    }
  })

  test('a code as typed is normalised; what cannot be one is null', ({ assert }) => {
    assert.equal(normalizeRecoveryCode(' ABCDE-FGHJK '), 'abcde-fghjk')
    assert.equal(normalizeRecoveryCode('abcdefghjk'), 'abcde-fghjk')
    assert.equal(normalizeRecoveryCode('abc de fgh jk'), 'abcde-fghjk')
    assert.isNull(normalizeRecoveryCode('abcde-fghj'))
    assert.isNull(normalizeRecoveryCode('abcde-fghjkm'))
    assert.isNull(normalizeRecoveryCode('abcde-fghj0'), 'a zero is not in the alphabet')
    assert.isNull(normalizeRecoveryCode(''))
  })

  test('hashes come from the hasher; the matching row is found, normalised first', async ({
    assert,
  }) => {
    const codes = generateRecoveryCodes(3)
    const hashes = await hashRecoveryCodes(fakeHasher, codes)
    assert.deepEqual(
      hashes,
      codes.map((code) => `hashed:${code}`)
    )

    const rows = hashes.map((codeHash, id) => ({ id, codeHash }))
    const found = await findRecoveryCode(fakeHasher, rows, codes[1].toUpperCase().replace('-', ''))
    assert.deepEqual(found, rows[1])
    assert.isNull(await findRecoveryCode(fakeHasher, rows, 'zzzzz-zzzzz'))
    assert.isNull(await findRecoveryCode(fakeHasher, rows, 'not a code'))
  })
})
