import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import { Visitor } from '#kit/testing'
import RecoveryCode from '#models/recovery_code'
import { createUser, enrolTotp, MFA_PASSWORD } from '#tests/helpers/mfa'

/**
 * The recovery codes a page shows.
 */
function codesOf(html: string): string[] {
  return [...html.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map(
    (match) => match[1]
  )
}

/**
 * A browser signed in as a new user who set up the authenticator app
 * through the pages; the ten codes it was shown.
 */
async function enrolled() {
  const user = await createUser('codes')
  const visitor = new Visitor()
  await visitor.signIn(user.email, MFA_PASSWORD)
  const { html } = await enrolTotp(visitor)
  return { user, visitor, codes: codesOf(html) }
}

test.group('MFA | recovery codes', () => {
  test('ten codes are shown once at setup and stored as hashes only', async ({ assert }) => {
    const { user, codes } = await enrolled()
    assert.lengthOf(codes, 10)
    assert.lengthOf(new Set(codes), 10)

    const rows = await db.from('recovery_codes').where('user_id', user.id)
    assert.lengthOf(rows, 10)
    for (const row of rows) {
      assert.notInclude(codes, row.code_hash)
      assert.isTrue(hash.isValidHash(row.code_hash), 'a hash of the hash service')
    }
    const matches = await Promise.all(
      codes.map(async (code) => {
        for (const row of rows) {
          if (await hash.verify(row.code_hash, code)) {
            return true
          }
        }
        return false
      })
    )
    assert.deepEqual(matches, Array(10).fill(true))
  })

  test('the security page shows the count left', async ({ assert }) => {
    const { user, visitor, codes } = await enrolled()
    const before = await visitor.fetch('/account/security', { headers: { accept: 'text/html' } })
    assert.match(await before.text(), /10 recovery codes\s+left/)

    assert.isTrue(await RecoveryCode.spend(user, codes[3]))
    const after = await visitor.fetch('/account/security', { headers: { accept: 'text/html' } })
    const html = await after.text()
    assert.match(html, /9 recovery codes\s+left/)
    assert.notInclude(html, codes[0], 'the codes are not shown again')
  })

  test('a code is spent once; typed in any case, with or without its dash', async ({ assert }) => {
    const { user, codes } = await enrolled()
    assert.isFalse(await RecoveryCode.spend(user, 'aaaaa-aaaaa'), 'not one of them')
    assert.isTrue(await RecoveryCode.spend(user, ` ${codes[0].toUpperCase().replace('-', '')} `))
    assert.isFalse(await RecoveryCode.spend(user, codes[0]), 'used')
    assert.equal(await RecoveryCode.countFor(user), 9)

    const other = await createUser('codes')
    assert.isFalse(await RecoveryCode.spend(other, codes[1]), "another user's code")
    assert.equal(await RecoveryCode.countFor(user), 9)
  })

  test('one code spent by parallel requests at once: exactly one succeeds', async ({ assert }) => {
    const { user, codes } = await enrolled()
    const results = await Promise.all(
      Array.from({ length: 5 }, () => RecoveryCode.spend(user, codes[2]))
    )
    assert.deepEqual(results.filter(Boolean), [true])
    assert.equal(await RecoveryCode.countFor(user), 9)
  })

  test('new codes replace the old ones, shown once (browsers and API clients)', async ({
    assert,
  }) => {
    const { user, visitor, codes } = await enrolled()
    const { token } = await visitor.form('/account/security')
    const page = await visitor.post('/account/security/recovery-codes', { _csrf: token })
    assert.equal(page.status, 200)
    const html = await page.text()
    assert.include(html, 'The old ones no longer work.')
    const fresh = codesOf(html)
    assert.lengthOf(fresh, 10)
    assert.isFalse(await RecoveryCode.spend(user, codes[0]), 'an old code')
    assert.equal(await RecoveryCode.countFor(user), 10)

    const api = await visitor.post(
      '/account/security/recovery-codes',
      { _csrf: token },
      { json: true }
    )
    assert.equal(api.status, 200)
    const { recoveryCodes } = (await api.json()) as { recoveryCodes: string[] }
    assert.lengthOf(recoveryCodes, 10)
    assert.isFalse(await RecoveryCode.spend(user, fresh[0]), 'the codes of the page are gone')
    assert.isTrue(await RecoveryCode.spend(user, recoveryCodes[0]))
  })

  test('without an authenticator app there are no codes to replace', async ({ assert }) => {
    const user = await createUser('codes')
    const visitor = new Visitor()
    await visitor.signIn(user.email, MFA_PASSWORD)
    const { token } = await visitor.form('/account/security')
    const response = await visitor.post('/account/security/recovery-codes', { _csrf: token })
    assert.equal(response.status, 302)
    assert.equal(response.headers.get('location'), '/account/security')
    assert.equal(await RecoveryCode.countFor(user), 0)
  })
})
