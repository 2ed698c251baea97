import { setTimeout as sleep } from 'node:timers/promises'
import { test } from '@japa/runner'
import {
  type AppProcess,
  Cluster,
  needsServices,
  getJson,
  getPage,
  signIn,
  statusOf,
} from '#kit/testing'

/**
 * Repeats a request (at most 100 times, 100 ms apart) until it answers
 * 200: an instance recovering from an outage.
 */
async function untilAnswered(request: () => Promise<Response>) {
  let status = 0
  for (let attempt = 0; attempt < 100; attempt++) {
    status = await statusOf(request())
    if (status === 200) {
      return
    }
    await sleep(100)
  }
  throw new Error(`Still answering ${status} after 100 attempts`)
}

/**
 * Asserts what a 503 says: the JSON body or the status page, with a
 * Retry-After header, and nothing about the cause.
 */
async function assertServiceUnavailable(
  assert: any,
  json: Response,
  page: Response,
  internals: string[]
) {
  assert.equal(json.status, 503)
  assert.equal(json.headers.get('retry-after'), '5')
  const body = await json.text()
  assert.deepEqual(JSON.parse(body).errors, [
    { status: 503, code: 'E_SERVICE_UNAVAILABLE', message: 'Service Unavailable' },
  ])

  assert.equal(page.status, 503)
  assert.match(page.headers.get('content-type')!, /^text\/html/)
  const html = await page.text()
  assert.include(html, '<title>Service unavailable (503)</title>')

  for (const text of internals) {
    assert.notInclude(body, text)
    assert.notInclude(html, text)
  }
}

/**
 * The outage log lines an instance printed since `offset`.
 */
function outageLines(server: AppProcess, offset: number) {
  const lines = server.logLines(offset)
  return {
    unavailable: lines.filter((line) => line.event === 'store.unavailable'),
    recovered: lines.filter((line) => line.event === 'store.recovered'),
    errors: lines.filter((line) => line.level >= 50),
  }
}

test.group('Multi-node | outages, sessions in Redis', (group) => {
  needsServices(group)
  const cluster = new Cluster('redis')
  group.setup(async () => {
    await cluster.start()
  })
  group.teardown(() => cluster.stop())

  test('Redis refusing connections: B answers 503 and logs it once, A is unaffected, B recovers with the session intact', async ({
    assert,
  }) => {
    const { cookie } = await signIn(cluster.b, 'demo@example.com')
    const offset = cluster.b.output.length

    await cluster.proxies.redis.refuse()
    try {
      await assertServiceUnavailable(
        assert,
        await getJson(cluster.b, '/api/me', cookie),
        await getPage(cluster.b, '/dashboard', cookie),
        ['ECONNREFUSED', 'Stream', 'Redis', 'redis', String(cluster.proxies.redis.port)]
      )
      for (let request = 0; request < 5; request++) {
        assert.equal(await statusOf(getJson(cluster.b, '/api/me', cookie)), 503)
      }
      assert.equal(await statusOf(cluster.b.fetch('/')), 200, 'pages without a session still work')
      assert.equal(await statusOf(getJson(cluster.a, '/api/me', cookie)), 200)
    } finally {
      await cluster.proxies.redis.restore()
    }

    await untilAnswered(() => getJson(cluster.b, '/api/me', cookie))
    await cluster.b.waitForOutput(/"event":"store.recovered"/, 10_000, offset)
    const { unavailable, recovered, errors } = outageLines(cluster.b, offset)
    assert.lengthOf(unavailable, 1)
    assert.deepInclude(unavailable[0], { level: 50, store: 'redis' })
    assert.deepEqual(errors, unavailable)
    assert.lengthOf(recovered, 1)
    assert.equal(recovered[0].store, 'redis')
    assert.isAtLeast(recovered[0].failedRequests, 7)
  })

  test('Redis not answering: B answers 503 once the command timeout passes, then recovers', async ({
    assert,
  }) => {
    const { cookie } = await signIn(cluster.b, 'demo@example.com')
    const offset = cluster.b.output.length

    cluster.proxies.redis.hang()
    try {
      await assertServiceUnavailable(
        assert,
        await getJson(cluster.b, '/api/me', cookie),
        await getPage(cluster.b, '/dashboard', cookie),
        ['timed out', 'Redis', 'redis']
      )
      assert.equal(await statusOf(getJson(cluster.a, '/api/me', cookie)), 200)
    } finally {
      await cluster.proxies.redis.restore()
    }

    await untilAnswered(() => getJson(cluster.b, '/api/me', cookie))
    await cluster.b.waitForOutput(/"event":"store.recovered"/, 10_000, offset)
    const { unavailable, recovered } = outageLines(cluster.b, offset)
    assert.lengthOf(unavailable, 1)
    assert.lengthOf(recovered, 1)
  })

  test('PostgreSQL refusing connections: signed-in requests on B answer 503, A is unaffected, B recovers', async ({
    assert,
  }) => {
    const { cookie } = await signIn(cluster.b, 'demo@example.com')
    const offset = cluster.b.output.length

    await cluster.proxies.postgres.refuse()
    try {
      await assertServiceUnavailable(
        assert,
        await getJson(cluster.b, '/api/me', cookie),
        await getPage(cluster.b, '/dashboard', cookie),
        ['ECONNREFUSED', 'select', 'users', String(cluster.proxies.postgres.port)]
      )
      assert.equal(await statusOf(getJson(cluster.a, '/api/me', cookie)), 200)
    } finally {
      await cluster.proxies.postgres.restore()
    }

    await untilAnswered(() => getJson(cluster.b, '/api/me', cookie))
    await cluster.b.waitForOutput(/"event":"store.recovered"/, 10_000, offset)
    const { unavailable, recovered, errors } = outageLines(cluster.b, offset)
    assert.lengthOf(unavailable, 1)
    assert.deepInclude(unavailable[0], { level: 50, store: 'database' })
    assert.deepEqual(errors, unavailable)
    assert.lengthOf(recovered, 1)
    assert.equal(recovered[0].store, 'database')
  })
})

test.group('Multi-node | outages, sessions in PostgreSQL', (group) => {
  needsServices(group)
  const cluster = new Cluster('database')
  group.setup(async () => {
    await cluster.start()
  })
  group.teardown(() => cluster.stop())

  test('PostgreSQL refusing connections: the session store answers 503 on B, A is unaffected, B recovers with the session intact', async ({
    assert,
  }) => {
    const { cookie } = await signIn(cluster.b, 'demo@example.com')
    const offset = cluster.b.output.length

    await cluster.proxies.postgres.refuse()
    try {
      await assertServiceUnavailable(
        assert,
        await getJson(cluster.b, '/api/me', cookie),
        await getPage(cluster.b, '/dashboard', cookie),
        ['ECONNREFUSED', 'app_sessions', 'select', String(cluster.proxies.postgres.port)]
      )
      assert.equal(await statusOf(getJson(cluster.a, '/api/me', cookie)), 200)
    } finally {
      await cluster.proxies.postgres.restore()
    }

    await untilAnswered(() => getJson(cluster.b, '/api/me', cookie))
    await cluster.b.waitForOutput(/"event":"store.recovered"/, 10_000, offset)
    const { unavailable, recovered, errors } = outageLines(cluster.b, offset)
    assert.lengthOf(unavailable, 1)
    assert.deepInclude(unavailable[0], { level: 50, store: 'database' })
    assert.deepEqual(errors, unavailable)
    assert.lengthOf(recovered, 1)
  })
})
