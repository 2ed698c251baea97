import { setTimeout as sleep } from 'node:timers/promises'
import { test } from '@japa/runner'
import { StoreOutage } from '#kit/errors/src/store_outage'
import { capturedLogger } from '#kit/testing'

/**
 * A store whose availability the test decides, watched by a StoreOutage
 * that probes it every millisecond.
 */
function watchedStore() {
  const { logger, lines } = capturedLogger()
  const store = { up: false, probes: 0 }
  const outage = new StoreOutage('redis', {
    probe: async () => {
      store.probes++
      if (!store.up) {
        throw new Error('still down')
      }
    },
    probeEveryMs: 1,
    logger: () => logger,
  })
  return { outage, store, lines }
}

/**
 * Waits (at most 200 times 5 ms) until `condition` holds.
 */
async function until(condition: () => boolean) {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++) {
    await sleep(5)
  }
  if (!condition()) {
    throw new Error('The condition never held')
  }
}

test.group('Errors | store outage', () => {
  test('many failed requests make one error line', ({ assert }) => {
    const { outage, lines } = watchedStore()

    for (let request = 0; request < 20; request++) {
      outage.failed(new Error('connect ECONNREFUSED 127.0.0.1:6379'))
    }
    outage.stop()

    assert.lengthOf(lines, 1)
    assert.equal(lines[0].level, 50)
    assert.equal(lines[0].event, 'store.unavailable')
    assert.equal(lines[0].store, 'redis')
    assert.equal(lines[0].err.message, 'connect ECONNREFUSED 127.0.0.1:6379')
  })

  test('the outage lasts while the probe fails, and ends with one line when it succeeds', async ({
    assert,
  }) => {
    const { outage, store, lines } = watchedStore()
    outage.failed(new Error('Command timed out'))
    outage.failed(new Error('Command timed out'))

    await until(() => store.probes >= 3)
    assert.isTrue(outage.isOngoing)
    assert.lengthOf(lines, 1)

    store.up = true
    await until(() => !outage.isOngoing)

    assert.lengthOf(lines, 2)
    assert.equal(lines[1].level, 30)
    assert.equal(lines[1].event, 'store.recovered')
    assert.equal(lines[1].failedRequests, 2)
    assert.isAtLeast(lines[1].downForMs, 0)
  })

  test('a new outage after a recovery is logged again', async ({ assert }) => {
    const { outage, store, lines } = watchedStore()
    outage.failed(new Error('first'))
    store.up = true
    await until(() => !outage.isOngoing)

    store.up = false
    outage.failed(new Error('second'))
    outage.stop()

    assert.deepEqual(
      lines.map((line) => line.event),
      ['store.unavailable', 'store.recovered', 'store.unavailable']
    )
    assert.equal(lines[2].err.message, 'second')
  })

  test('a recovery without an outage logs nothing', ({ assert }) => {
    const { outage, lines } = watchedStore()
    outage.recovered()
    assert.lengthOf(lines, 0)
  })
})
