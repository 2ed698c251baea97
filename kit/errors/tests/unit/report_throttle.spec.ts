import { test } from '@japa/runner'
import { setTimeout as sleep } from 'node:timers/promises'
import { ReportThrottle } from '#kit/errors/src/report_throttle'

function throttleWithClock(options: { limit: number; windowMs: number; maxKeys?: number }) {
  const clock = { now: 0 }
  const summaries: [string, number][] = []
  const throttle = new ReportThrottle<string>(
    options,
    (sample, suppressed) => summaries.push([sample, suppressed]),
    () => clock.now
  )
  return { throttle, clock, summaries }
}

test.group('Errors | ReportThrottle', () => {
  test('lets the first reports of a window through and counts the rest', ({ assert }) => {
    const { throttle, summaries } = throttleWithClock({ limit: 3, windowMs: 1000 })

    const allowed = Array.from({ length: 10 }, () => throttle.allow('k', 'sample'))

    assert.deepEqual(allowed, [true, true, true, false, false, false, false, false, false, false])
    assert.deepEqual(summaries, [])
    throttle.flush()
    assert.deepEqual(summaries, [['sample', 7]])
  })

  test('a new window starts a new count and closes the old one', ({ assert }) => {
    const { throttle, clock, summaries } = throttleWithClock({ limit: 1, windowMs: 1000 })

    throttle.allow('k', 'first window')
    throttle.allow('k', 'first window')
    throttle.allow('k', 'first window')
    clock.now = 1000

    assert.isTrue(throttle.allow('k', 'second window'))
    assert.deepEqual(summaries, [['first window', 2]])
  })

  test('keys are counted apart', ({ assert }) => {
    const { throttle } = throttleWithClock({ limit: 1, windowMs: 1000 })

    assert.isTrue(throttle.allow('a', 'a'))
    assert.isTrue(throttle.allow('b', 'b'))
    assert.isFalse(throttle.allow('a', 'a'))
  })

  test('reports the count by itself when the window ends', async ({ assert }) => {
    const summaries: [string, number][] = []
    const throttle = new ReportThrottle<string>({ limit: 2, windowMs: 50 }, (sample, count) =>
      summaries.push([sample, count])
    )

    for (let i = 0; i < 5; i++) {
      throttle.allow('k', 'burst')
    }
    assert.deepEqual(summaries, [])
    await sleep(120)
    assert.deepEqual(summaries, [['burst', 3]])
  })

  test('windows without suppressed reports say nothing', ({ assert }) => {
    const { throttle, summaries } = throttleWithClock({ limit: 5, windowMs: 1000 })
    throttle.allow('k', 'quiet')
    throttle.flush()
    assert.deepEqual(summaries, [])
  })

  test('tracks a bounded number of keys', ({ assert }) => {
    const { throttle, summaries } = throttleWithClock({ limit: 1, windowMs: 1000, maxKeys: 2 })

    throttle.allow('a', 'a')
    throttle.allow('a', 'a')
    throttle.allow('b', 'b')
    throttle.allow('c', 'c')

    assert.deepEqual(summaries, [['a', 1]])
    assert.isTrue(throttle.allow('a', 'a again'))
  })
})
