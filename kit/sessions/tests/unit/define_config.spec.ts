import { test } from '@japa/runner'
import { defineConfig } from '#kit/sessions/define_config'

/**
 * Session security settings, with the defaults of
 * "config/session_security.ts" unless given.
 */
function settings(overrides: {
  rotationInterval?: string
  graceWindow?: string
  absoluteLifetime?: string
}) {
  return {
    rotationInterval: '15m',
    graceWindow: '30s',
    absoluteLifetime: '7d',
    theftDetection: true,
    globalClaims: [],
    ...overrides,
  }
}

test.group('Session security config', () => {
  test('the defaults resolve to milliseconds', ({ assert }) => {
    assert.deepInclude(defineConfig(settings({})), {
      rotationIntervalMs: 15 * 60_000,
      graceWindowMs: 30_000,
      absoluteLifetimeMs: 7 * 24 * 3_600_000,
    })
  })

  test(
    'a grace window shorter than the rotation interval is accepted ({rotationInterval} / {graceWindow})'
  )
    .with([
      { rotationInterval: '1s', graceWindow: '999ms' },
      { rotationInterval: '2s', graceWindow: '1s' },
      { rotationInterval: '15m', graceWindow: '0s' },
      { rotationInterval: '10m', graceWindow: '5m' },
    ])
    .run(({ assert }, row) => {
      const resolved = defineConfig(settings(row))
      assert.isBelow(resolved.graceWindowMs, resolved.rotationIntervalMs)
    })

  test(
    'a grace window as long as the rotation interval, or longer, is refused ({rotationInterval} / {graceWindow})'
  )
    .with([
      { rotationInterval: '1s', graceWindow: '5s' },
      { rotationInterval: '30s', graceWindow: '30s' },
      { rotationInterval: '1s', graceWindow: '1000ms' },
      { rotationInterval: '1m', graceWindow: '61s' },
      { rotationInterval: '2m', graceWindow: '5m' },
    ])
    .run(({ assert }, row) => {
      assert.throws(
        () => defineConfig(settings(row)),
        `session graceWindow is "${row.graceWindow}" and rotationInterval "${row.rotationInterval}"; ` +
          'the grace window must be shorter than the rotation interval'
      )
    })

  test('out-of-range values keep their own messages ({message})')
    .with([
      { row: { graceWindow: '10m' }, message: 'it must be between 0s and 300s' },
      { row: { rotationInterval: '0s' }, message: 'it must be above 0' },
      { row: { absoluteLifetime: '-1s' }, message: 'is not a duration' },
    ])
    .run(({ assert }, { row, message }) => {
      assert.throws(() => defineConfig(settings(row)), new RegExp(message))
    })
})
