import { connect } from 'node:net'
import { Agent, get } from 'node:http'
import { test } from '@japa/runner'
import { AppProcess, TempDatabase } from '#kit/testing'

/**
 * The line the shutdown logs when its deadline closes connections.
 */
const DEADLINE_LINE = 'closing the connections still open after the shutdown timeout'

/**
 * True when a new TCP connection to the server is refused.
 */
function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
}

/**
 * A GET through a keep-alive agent that, like a load balancer, keeps its
 * connections open until the server closes them (fetch closes idle ones
 * after 4 seconds by itself).
 */
function keepAliveGet(agent: Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode!, body }))
      response.on('error', reject)
    }).on('error', reject)
  })
}

test.group('Faults | graceful shutdown', (group) => {
  let database: TempDatabase

  group.each.setup(async () => {
    database = await TempDatabase.create()
    return () => database.destroy()
  })

  test('{$self} lets the request in flight finish, saves its session and exits 0')
    .with(['SIGTERM', 'SIGINT'] as const)
    .run(async ({ assert }, signal) => {
      /**
       * 4 s: shorter than the server's keep-alive timeout (5 s), so a
       * connection left open after its response would hold the shutdown
       * until the deadline, and the deadline line would be logged.
       */
      const server = await AppProcess.start({
        SESSION_DRIVER: 'database',
        DB_SQLITE_FILE: database.file,
        SHUTDOWN_TIMEOUT: '4s',
      })
      const agent = new Agent({ keepAlive: true })

      try {
        const slow = keepAliveGet(
          agent,
          `${server.url}/__test__/faults/slow?ms=300&marker=in-flight-${signal}`
        )
        await server.waitForOutput(new RegExp(`in-flight-${signal}.*slow request started`))
        server.signal(signal)

        const response = await slow
        const body = JSON.parse(response.body) as { marker: string }
        assert.equal(response.status, 200)
        assert.equal(body.marker, `in-flight-${signal}`)

        assert.equal(await server.waitForExit(), 0)
        assert.notInclude(server.output, DEADLINE_LINE)
        assert.isTrue(server.logLines().some((line) => line.msg === 'shut down'))
        assert.isTrue(
          server
            .logLines()
            .some((line) => line.signal === signal && /^shutting down/.test(line.msg))
        )
      } finally {
        agent.destroy()
        await server.stop()
      }

      const sessions = await database.sessions()
      const session = sessions.find((row) => row.data.includes(`"slow":"in-flight-${signal}"`))
      assert.exists(session, 'the session of the finished request was not saved')
    })

  test('stops accepting connections at once', async ({ assert }) => {
    const server = await AppProcess.start({
      SESSION_DRIVER: 'database',
      DB_SQLITE_FILE: database.file,
    })
    const port = Number(new URL(server.url).port)

    try {
      const slow = server.fetch('/__test__/faults/slow?ms=1000&marker=accepting')
      await server.waitForOutput(/accepting.*slow request started/)
      server.signal('SIGTERM')
      await server.waitForOutput(/shutting down/)

      let refused = false
      for (let attempt = 0; attempt < 100 && !refused; attempt++) {
        refused = await connectionRefused(port)
        if (!refused) {
          await new Promise((resolve) => setTimeout(resolve, 10))
        }
      }
      assert.isTrue(refused, 'new connections are still accepted')

      const response = await slow
      assert.equal(response.status, 200)
      assert.equal(await server.waitForExit(), 0)
    } finally {
      await server.stop()
    }
  })

  test('closes the connections still open at the deadline, then exits 0', async ({ assert }) => {
    const server = await AppProcess.start({
      SESSION_DRIVER: 'database',
      DB_SQLITE_FILE: database.file,
      SHUTDOWN_TIMEOUT: '500ms',
    })

    try {
      const tooSlow = server.fetch('/__test__/faults/slow?ms=30000&marker=too-slow').then(
        (response) => response.status,
        (error) => error
      )
      await server.waitForOutput(/too-slow.*slow request started/)
      server.signal('SIGTERM')

      assert.equal(await server.waitForExit(), 0)
      assert.instanceOf(await tooSlow, Error, 'the request was cut, not answered')

      const deadline = server.logLines().find((line) => line.msg === DEADLINE_LINE)
      assert.exists(deadline)
      assert.equal(deadline!.level, 40)
      assert.equal(deadline!.timeout, 500)
    } finally {
      await server.stop()
    }
  })
})

test.group('Faults | shutdown configuration', () => {
  test('SHUTDOWN_TIMEOUT must be a duration: {$self}')
    .with(['ten seconds', '-1s'])
    .run(async ({ assert }, value) => {
      const server = new AppProcess({ NODE_ENV: 'production', SHUTDOWN_TIMEOUT: value })
      const exitCode = await server.waitForExit()

      assert.notEqual(exitCode, 0)
      assert.include(server.output, '"SHUTDOWN_TIMEOUT" must be a duration such as "10s"')
      assert.notInclude(server.output, 'started HTTP server')
    })
})
