import { test } from '@japa/runner'
import { AppProcess } from '#kit/testing'

/**
 * 4,000 lines of 1,000 characters: about 4 MB, far more than a pipe holds,
 * so the logger's writes pile up while nobody reads.
 */
const FLOOD = '/__test__/faults/log-flood?lines=4000&size=1000'

/**
 * Requests of every kind (a page, a 404, a logged 500), each answered
 * with the expected status.
 */
async function assertServing(assert: any, server: AppProcess) {
  for (let round = 0; round < 5; round++) {
    const home = await server.fetch('/')
    const missing = await server.fetch('/no/such/page')
    const crash = await server.fetch('/__test__/errors/crash', {
      headers: { 'accept': 'application/json', 'x-request-id': `req-crash-${round}` },
    })
    assert.deepEqual([home.status, missing.status, crash.status], [200, 404, 500])
  }
  const health = await server.fetch('/health')
  assert.equal(health.status, 200)
}

test.group('Faults | a slow or broken log destination', () => {
  test('nobody reads the logs for a while: requests are answered, no line is lost', async ({
    assert,
  }) => {
    const server = await AppProcess.start()
    try {
      server.pauseStdout()
      const flood = await server.fetch(`${FLOOD}&marker=paused`)
      assert.equal(flood.status, 200)
      await assertServing(assert, server)
      assert.isNull(server.exitCode)

      server.resumeStdout()
      await server.waitForOutput(/"marker":"paused".*"log flood done"/, 30_000)
      await server.waitForOutput(/req-crash-4/)

      const lines = server.logLines()
      assert.lengthOf(
        lines.filter((line) => line.marker === 'paused' && line.msg === 'log flood line'),
        4000
      )
      assert.lengthOf(
        lines.filter((line) => /^req-crash-/.test(line.request_id ?? '')),
        5,
        'the error reports written while nobody read'
      )
    } finally {
      await server.stop()
    }
    assert.equal(server.exitCode, 0)
  }).timeout(60_000)

  test('the logs go to a closed pipe: requests are answered, SIGTERM still exits 0', async ({
    assert,
  }) => {
    const server = await AppProcess.start()
    try {
      server.closeStdout()
      const flood = await server.fetch(`${FLOOD}&marker=closed`)
      assert.equal(flood.status, 200)
      await assertServing(assert, server)
      assert.isNull(server.exitCode)

      server.signal('SIGTERM')
      assert.equal(await server.waitForExit(30_000), 0)
    } finally {
      await server.stop()
    }
  }).timeout(60_000)
})
