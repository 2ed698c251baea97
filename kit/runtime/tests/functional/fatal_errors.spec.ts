import { test } from '@japa/runner'
import { AppProcess } from '#kit/testing'

test.group('Faults | errors outside a request', () => {
  test('{route}: logged at fatal level, then the process exits 1')
    .with([
      {
        route: 'reject-later',
        message: 'rejected outside a request',
        origin: 'unhandled rejection',
      },
      { route: 'throw-later', message: 'thrown outside a request', origin: 'uncaught exception' },
    ])
    .run(async ({ assert }, { route, message, origin }) => {
      const server = await AppProcess.start()
      try {
        const response = await server.fetch(`/__test__/faults/${route}`)
        assert.equal(response.status, 202)

        assert.equal(await server.waitForExit(), 1)
        const fatal = server.logLines().find((line) => line.level === 60)
        assert.exists(fatal, server.output)
        assert.equal(fatal!.origin, origin)
        assert.equal(fatal!.msg, `${origin}: ${message}`)
        assert.equal(fatal!.err.message, message)
        assert.include(fatal!.err.stack, 'fault_routes')
      } finally {
        await server.stop()
      }
    })
})
