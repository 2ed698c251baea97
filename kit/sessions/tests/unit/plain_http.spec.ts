import { test } from '@japa/runner'
import { type HttpsConfig, plainHttpWarning } from '#kit/sessions/src/plain_http'

/**
 * A production app's settings, with `overrides`.
 */
function https(overrides: Partial<HttpsConfig>): HttpsConfig {
  return {
    appUrl: undefined,
    fallbackUrl: 'http://0.0.0.0:3333',
    tlsTerminatedAtProxy: false,
    cookies: { secure: true, names: ['__Host-session', '__Host-csrf'] },
    ...overrides,
  }
}

test.group('Plain HTTP | the boot warning', () => {
  test('an http: APP_URL is named, with what to do', ({ assert }) => {
    const warning = plainHttpWarning(https({ appUrl: 'http://app.example.com' }))
    assert.include(warning, 'APP_URL is http://app.example.com')
    assert.include(warning, 'browsers do not keep')
    assert.include(warning, 'APP_URL=https://app.example.com')
    assert.include(warning, 'TLS_TERMINATED_AT_PROXY=true')
  })

  test('an unset APP_URL is read as the address the app falls back to', ({ assert }) => {
    const warning = plainHttpWarning(https({}))
    assert.include(warning, 'APP_URL is not set (the app is at http://0.0.0.0:3333)')
  })

  test('{title}: no warning')
    .with([
      { title: 'https:', config: { appUrl: 'https://app.example.com' } },
      { title: 'localhost', config: { appUrl: 'http://localhost:3333' } },
      { title: '127.0.0.1 (the fallback)', config: { fallbackUrl: 'http://127.0.0.1:3333' } },
      { title: '[::1]', config: { appUrl: 'http://[::1]:3333' } },
      {
        title: 'TLS ends at a proxy',
        config: { appUrl: 'http://app.example.com', tlsTerminatedAtProxy: true },
      },
    ])
    .run(({ assert }, { config }) => {
      assert.isUndefined(plainHttpWarning(https(config)))
    })
})
