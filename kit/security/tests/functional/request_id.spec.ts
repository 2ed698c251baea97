import { test } from '@japa/runner'
import { AppProcess, rawHttp } from '#kit/testing'

/**
 * The ids the kit makes: 32 hex characters.
 */
const GENERATED_ID = /^[0-9a-f]{32}$/

/**
 * Incoming ids that are refused, sent byte for byte.
 */
const REFUSED: { name: string; id: string | Buffer }[] = [
  { name: '12,000 characters', id: 'a'.repeat(12_000) },
  { name: '129 characters', id: 'a'.repeat(129) },
  { name: 'a space', id: 'abc def' },
  { name: 'markup', id: '<script>alert(1)</script>' },
  { name: 'quotes', id: `a"b'c` },
  { name: 'a slash', id: 'a/b' },
  { name: 'JSON', id: '{"level":60}' },
  { name: 'a tab', id: 'abc\tdef' },
  { name: 'an escaped CRLF', id: 'abc\\r\\nx-evil: 1' },
  { name: 'UTF-8', id: Buffer.from('réqüest-ïd-✓', 'utf8') },
  { name: 'Latin-1 bytes', id: Buffer.from([0x61, 0xe9, 0x62]) },
  { name: 'an equals sign', id: 'Root=1-67891233' },
  { name: 'empty', id: '' },
]

/**
 * Incoming ids that are kept as they are.
 */
const KEPT = [
  'abc-123',
  'req_1.2:3',
  '3b241101-e2bb-4255-8caf-4136c566a962',
  'A'.repeat(128),
  'trace:1-67891233-abcdef012345678912345678',
]

let server: AppProcess

/**
 * The request id each place carries, for a request sending `id`: the
 * response header and JSON body of an error, the body of an undecodable
 * URL (answered before any middleware), and the log line of a route.
 */
async function idsFor(id: string | Buffer) {
  const headers: [string, string | Buffer][] = [
    ['x-request-id', id],
    ['accept', 'application/json'],
  ]
  const error = await rawHttp(server.url, { path: '/__test__/errors/status/409', headers })
  const badUrl = await rawHttp(server.url, { path: '/%E0%A4%A', headers })

  const marker = `m${Math.random().toString(36).slice(2)}`
  const since = server.output.length
  const logged = await rawHttp(server.url, {
    path: `/__test__/faults/log-flood?lines=0&marker=${marker}`,
    headers,
  })
  await server.waitForOutput(new RegExp(marker), 10_000, since)
  const line = server.logLines(since).find((entry) => entry.marker === marker)!

  return {
    statuses: [error.status, badUrl.status, logged.status],
    errorHeader: error.headers['x-request-id'],
    errorBody: JSON.parse(error.body).requestId,
    badUrlHeader: badUrl.headers['x-request-id'],
    badUrlBody: JSON.parse(badUrl.body).requestId,
    logHeader: logged.headers['x-request-id'],
    logLine: line.request_id,
  }
}

test.group('Faults | x-request-id', (group) => {
  group.setup(async () => {
    server = await AppProcess.start()
    return async () => {
      await server.stop()
    }
  })

  test('an incoming id with {name} is replaced by a new one')
    .with(REFUSED)
    .run(async ({ assert }, { id }) => {
      const ids = await idsFor(id)
      assert.deepEqual(ids.statuses, [409, 400, 200])

      for (const [place, value] of Object.entries(ids)) {
        if (place !== 'statuses') {
          assert.match(value, GENERATED_ID, place)
        }
      }
      assert.equal(ids.errorBody, ids.errorHeader)
      assert.equal(ids.badUrlBody, ids.badUrlHeader)
      assert.equal(ids.logLine, ids.logHeader)
      assert.notInclude(server.output, '<script>')
      assert.notInclude(server.output, 'a'.repeat(129))
    })

  test('a raw {name} in the header is refused by Node.js, and echoed nowhere')
    .with([
      { name: 'CR', id: Buffer.from('abc\rx-evil: 1') },
      { name: 'NUL', id: Buffer.from([0x61, 0x00, 0x62]) },
      { name: 'DEL', id: Buffer.from([0x61, 0x7f, 0x62]) },
    ])
    .run(async ({ assert }, { id }) => {
      const since = server.output.length
      const response = await rawHttp(server.url, {
        path: '/__test__/errors/status/409',
        headers: [['x-request-id', id]],
      })
      assert.equal(response.status, 400)
      assert.isUndefined(response.headers['x-request-id'])
      assert.isUndefined(response.headers['x-evil'])
      assert.equal(server.output.slice(since), '')
    })

  test('a short, safe incoming id is kept: {$self}')
    .with(KEPT)
    .run(async ({ assert }, id) => {
      const ids = await idsFor(id)
      assert.deepEqual(ids.statuses, [409, 400, 200])
      const { statuses, ...places } = ids
      assert.deepEqual(Object.values(places), Array(6).fill(id))
    })
})
