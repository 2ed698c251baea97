import { test } from '@japa/runner'
import { assertPagePolicy } from '#kit/testing/content_security_policy'

/**
 * The headers of a page that follows the kit's policy, with `nonce`.
 */
function headersWith(nonce: string) {
  return {
    'content-security-policy':
      "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-" +
      nonce +
      "'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; " +
      "frame-ancestors 'none'",
    'referrer-policy': 'same-origin',
  }
}

const NONCE = 'abcdefghijklmnop'

test.group('assertPagePolicy', () => {
  test('a script file of this origin passes', ({ assert }) => {
    const html = '<p>x</p><script src="/js/passkeys.js" defer></script>'
    assert.equal(assertPagePolicy(assert, headersWith(NONCE), html), NONCE)
  })

  test('{$self} fails the check')
    .with([
      '<script>alert(1)</script>',
      '<script src="/js/a.js">alert(1)</script>',
      '<script src="https://evil.example/a.js"></script>',
      '<script src="//evil.example/a.js"></script>',
      `<script nonce="${NONCE}">alert(1)</script>`,
      '<script src="/js/a.js">',
    ])
    .run(({ assert }, html) => {
      assert.throws(() => assertPagePolicy(assert, headersWith(NONCE), `<p>x</p>${html}`))
    })
})
