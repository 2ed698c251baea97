import { test } from '@japa/runner'
import fc from 'fast-check'
import { safeRedirectPath } from '#kit/security/src/safe_redirect'

/**
 * The origin the outputs are resolved against, as a browser resolves a
 * `Location` header against the page's own address.
 */
const ORIGIN = 'http://app.test'

/**
 * Pieces hostile paths are made of: slashes and backslashes, dot
 * segments (plain and percent-encoded), encoded slashes, control
 * characters, scheme-like prefixes and host names.
 */
const PIECES = [
  '/',
  '//',
  '\\',
  '/\\',
  '.',
  '..',
  './',
  '../',
  '/./',
  '/../',
  '%2e',
  '%2E',
  '%2e%2e',
  '.%2e',
  '%2f',
  '%2F',
  '%5c',
  '%5C',
  '%252f',
  '%25',
  '%',
  '%0a',
  '%09',
  '%00',
  '\t',
  '\n',
  '\r',
  '\u0000',
  '\u007f',
  '\u00a0',
  ' ',
  '?',
  '#',
  '@',
  ':',
  'http:',
  'https:',
  'javascript:',
  'evil.example',
  'a',
  'dashboard',
  '\u3002',
  '\uff0f',
]

/**
 * A path assembled from hostile pieces and arbitrary text.
 */
const hostilePath = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 })), {
    minLength: 1,
    maxLength: 12,
  })
  .map((parts) => parts.join(''))

/**
 * A hostile path behind a leading slash (the inputs that get past the
 * first check), sometimes percent-encoded once more.
 */
const slashPath = fc
  .tuple(hostilePath, fc.boolean())
  .map(([path, encode]) => `/${encode ? encodeURIComponent(path) : path}`)

/**
 * What a same-origin redirect target must be: a path starting with a
 * single "/", no scheme, no control characters or backslashes, raw or
 * decoded, that a browser resolves to the app's own origin.
 */
function assertSameOriginPath(assert: any, input: string, output: string) {
  const context = `input ${JSON.stringify(input)} gave ${JSON.stringify(output)}`
  assert.isTrue(output.startsWith('/'), `starts with "/": ${context}`)
  for (const form of [output, decodeURIComponent(output)]) {
    assert.isFalse(form.startsWith('//'), `no "//": ${context}`)
    assert.isFalse(form.startsWith('/\\'), `no "/\\": ${context}`)
    assert.notMatch(form, /^[a-z][a-z0-9+.-]*:/i, `no scheme: ${context}`)
    // eslint-disable-next-line no-control-regex
    assert.notMatch(form, /[\u0000-\u001f\u007f\\]/, `no control character: ${context}`)
  }
  assert.equal(new URL(output, ORIGIN).origin, ORIGIN, `same origin: ${context}`)
}

test.group('Security | safeRedirectPath properties', () => {
  test('any generated path gives a same-origin path', ({ assert }) => {
    fc.assert(
      fc.property(fc.oneof(hostilePath, slashPath, fc.string(), fc.webPath()), (input) => {
        assertSameOriginPath(assert, input, safeRedirectPath(input))
      }),
      { numRuns: 20_000 }
    )
  })

  test('what it returns, it accepts unchanged', ({ assert }) => {
    fc.assert(
      fc.property(fc.oneof(hostilePath, slashPath, fc.webPath()), (input) => {
        const output = safeRedirectPath(input)
        assert.equal(safeRedirectPath(output), output)
      }),
      { numRuns: 5_000 }
    )
  })

  test('the fallback stays the fallback for dot-segment tricks', ({ assert }) => {
    fc.assert(
      fc.property(
        fc.constantFrom('/./', '/../', '/a/../', '/%2e/', '/%2e%2e/', '/.%2e/', '/a/%2e%2e/'),
        fc.constantFrom('/', '\\', '%2f', '%5c'),
        fc.domain(),
        (prefix, slash, host) => {
          assert.equal(safeRedirectPath(`${prefix}${slash}${host}`, ''), '')
        }
      )
    )
  })
})
