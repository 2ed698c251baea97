import { test } from '@japa/runner'
import {
  generateTotpSecret,
  totpCode,
  totpQrSvg,
  totpStep,
  totpUri,
  verifyTotp,
  type TotpAlgorithm,
} from '#kit/mfa'

/**
 * The seeds of RFC 6238 Appendix B: the ASCII "1234567890" repeated to
 * the key length of each HMAC (20, 32 and 64 bytes).
 */
const SEEDS: Record<TotpAlgorithm, Uint8Array> = {
  SHA1: Buffer.from('12345678901234567890'),
  SHA256: Buffer.from('12345678901234567890123456789012'),
  SHA512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
}

/**
 * The table of RFC 6238 Appendix B: the time (seconds) and the 8-digit
 * code of each algorithm.
 */
const VECTORS: { time: number; algorithm: TotpAlgorithm; code: string }[] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
].flatMap(([time, sha1, sha256, sha512]) => [
  { time: time as number, algorithm: 'SHA1' as const, code: sha1 as string },
  { time: time as number, algorithm: 'SHA256' as const, code: sha256 as string },
  { time: time as number, algorithm: 'SHA512' as const, code: sha512 as string },
])

const NOW = Date.UTC(2026, 11, 7, 6, 0, 15)
const SECRET = generateTotpSecret()

test.group('TOTP | RFC 6238 Appendix B', () => {
  test('{algorithm} at T={time}s is {code}')
    .with(VECTORS)
    .run(({ assert }, { time, algorithm, code }) => {
      const check = { secret: SEEDS[algorithm], algorithm, digits: 8, lastUsedStep: null }
      const now = time * 1000
      assert.deepEqual(verifyTotp({ ...check, code, now, window: 0 }), {
        ok: true,
        step: Math.floor(time / 30),
      })
      assert.equal(totpCode(SEEDS[algorithm], now, { algorithm, digits: 8 }), code)
    })

  test('the {algorithm} code at T={time}s is refused as a SHA-1 code')
    .with(VECTORS.filter(({ algorithm }) => algorithm !== 'SHA1'))
    .run(({ assert }, { time, code }) => {
      assert.deepEqual(
        verifyTotp({
          secret: SEEDS.SHA1,
          algorithm: 'SHA1',
          digits: 8,
          code,
          now: time * 1000,
          lastUsedStep: null,
        }),
        { ok: false, reason: 'invalid' }
      )
    })
})

test.group('TOTP | the window', () => {
  test('the codes of the step before and after are accepted, with the step they belong to', ({
    assert,
  }) => {
    const step = totpStep(NOW)
    for (const offset of [-1, 0, 1]) {
      const code = totpCode(SECRET, NOW + offset * 30_000)
      assert.deepEqual(verifyTotp({ secret: SECRET, code, now: NOW, lastUsedStep: null }), {
        ok: true,
        step: step + offset,
      })
    }
  })

  test('codes two steps away are refused', ({ assert }) => {
    for (const offset of [-2, 2]) {
      const code = totpCode(SECRET, NOW + offset * 30_000)
      assert.deepEqual(verifyTotp({ secret: SECRET, code, now: NOW, lastUsedStep: null }), {
        ok: false,
        reason: 'invalid',
      })
    }
  })

  test('window: 0 accepts the current step only', ({ assert }) => {
    const previous = totpCode(SECRET, NOW - 30_000)
    const check = { secret: SECRET, now: NOW, lastUsedStep: null, window: 0 }
    assert.isFalse(verifyTotp({ ...check, code: previous }).ok)
    assert.isTrue(verifyTotp({ ...check, code: totpCode(SECRET, NOW) }).ok)
  })

  test('spaces are ignored; other characters and other lengths are refused', ({ assert }) => {
    const code = totpCode(SECRET, NOW)
    const check = { secret: SECRET, now: NOW, lastUsedStep: null }
    assert.isTrue(verifyTotp({ ...check, code: ` ${code.slice(0, 3)} ${code.slice(3)} ` }).ok)
    assert.isFalse(verifyTotp({ ...check, code: `${code}0` }).ok)
    assert.isFalse(verifyTotp({ ...check, code: code.slice(1) }).ok)
    assert.isFalse(verifyTotp({ ...check, code: `${code.slice(1)}a` }).ok)
    assert.isFalse(verifyTotp({ ...check, code: '' }).ok)
  })
})

test.group('TOTP | replay (RFC 6238 section 5.2)', () => {
  test('a code is refused once its step was used, for as long as it stays in the window', ({
    assert,
  }) => {
    const code = totpCode(SECRET, NOW)
    const first = verifyTotp({ secret: SECRET, code, now: NOW, lastUsedStep: null })
    assert.isTrue(first.ok)
    const used = first.ok ? first.step : -1

    for (const later of [0, 10_000, 30_000]) {
      assert.deepEqual(
        verifyTotp({ secret: SECRET, code, now: NOW + later, lastUsedStep: used }),
        { ok: false, reason: 'replayed' },
        `${later} ms later`
      )
    }
  })

  test('an older code is refused after a newer one was used; the next step is accepted', ({
    assert,
  }) => {
    const step = totpStep(NOW)
    const older = totpCode(SECRET, NOW - 30_000)
    assert.deepEqual(verifyTotp({ secret: SECRET, code: older, now: NOW, lastUsedStep: step }), {
      ok: false,
      reason: 'replayed',
    })
    const next = totpCode(SECRET, NOW + 30_000)
    assert.deepEqual(verifyTotp({ secret: SECRET, code: next, now: NOW, lastUsedStep: step }), {
      ok: true,
      step: step + 1,
    })
  })
})

test.group('TOTP | enrolment', () => {
  test('a secret is 20 random bytes in base32', ({ assert }) => {
    assert.match(SECRET, /^[A-Z2-7]{32}$/)
    assert.notEqual(generateTotpSecret(), SECRET)
  })

  test('the URI names the issuer and the account', ({ assert }) => {
    const uri = totpUri({ secret: SECRET, issuer: 'Starter kit', account: 'a@example.com' })
    assert.match(uri, /^otpauth:\/\/totp\/Starter%20kit:a%40example\.com\?/)
    const query = new URL(uri).searchParams
    assert.equal(query.get('secret'), SECRET)
    assert.equal(query.get('issuer'), 'Starter kit')
    assert.equal(query.get('algorithm'), 'SHA1')
    assert.equal(query.get('digits'), '6')
    assert.equal(query.get('period'), '30')
  })

  test('the QR code is an SVG element without style or script', async ({ assert }) => {
    const svg = await totpQrSvg(totpUri({ secret: SECRET, issuer: 'Kit', account: 'a@b.c' }))
    assert.match(svg, /^<svg role="img" aria-label="QR code of the secret" xmlns=/)
    assert.match(svg, /<\/svg>$/)
    assert.notMatch(svg, /<\?xml|style|<script|\son\w+=/i)
  })
})
