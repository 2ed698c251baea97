import { test } from '@japa/runner'
import { AppProcess } from '#tests/helpers/app_process'

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

test.group('Faults | errors inside a request', () => {
  test('a rejection inside a request is a plain 500; the server keeps serving', async ({
    assert,
  }) => {
    const server = await AppProcess.start()
    try {
      const response = await server.fetch('/__test__/faults/reject-inside', {
        headers: { accept: 'application/json' },
      })
      const body = (await response.json()) as any
      assert.equal(response.status, 500)
      assert.equal(body.errors[0].code, 'E_INTERNAL_SERVER_ERROR')
      assert.notInclude(JSON.stringify(body), 'rejected inside a request')

      const home = await server.fetch('/')
      assert.equal(home.status, 200)
      assert.isNull(server.exitCode)
      assert.isFalse(server.logLines().some((line) => line.level === 60))
    } finally {
      await server.stop()
    }
    assert.equal(server.exitCode, 0)
  })
})
