import { test } from '@japa/runner'
import { AppProcess } from '#kit/testing'

/**
 * Fetches `path` as a JSON client and as a browser.
 */
async function fetchBoth(server: AppProcess, path: string) {
  const json = await server.fetch(path, { headers: { accept: 'application/json' } })
  const html = await server.fetch(path, { headers: { accept: 'text/html' } })
  return {
    json: { status: json.status, type: json.headers.get('content-type')!, body: await json.text() },
    html: { status: html.status, type: html.headers.get('content-type')!, body: await html.text() },
  }
}

let server: AppProcess

test.group('Faults | the error path cannot take the server down', (group) => {
  group.setup(async () => {
    server = await AppProcess.start()
    return async () => {
      await server.stop()
    }
  })

  test('a report() that throws: the client still gets its 500', async ({ assert }) => {
    const { json, html } = await fetchBoth(server, '/__test__/faults/report-throws')

    assert.equal(json.status, 500)
    assert.match(json.type, /^application\/json/)
    assert.deepEqual(JSON.parse(json.body).errors, [
      { status: 500, code: 'E_REPORT_THROWS', message: 'Internal Server Error' },
    ])
    assert.equal(html.status, 500)
    assert.include(html.body, '<h1>Something went wrong</h1>')

    await server.waitForOutput(/could not report an error/)
    const line = server.logLines().find((entry) => entry.msg === 'could not report an error')!
    assert.equal(line.err.message, 'report() threw')
  })

  test('an exception whose own rendering throws gets the fallback response', async ({ assert }) => {
    const { json, html } = await fetchBoth(server, '/__test__/faults/handle-throws')

    assert.equal(json.status, 409)
    assert.deepEqual(JSON.parse(json.body).errors, [
      { status: 409, code: 'E_HANDLE_THROWS', message: 'the rendering will throw' },
    ])
    assert.equal(html.status, 409)
    assert.match(html.type, /^text\/html/)
    assert.include(html.body, 'Error 409')
    assert.notInclude(html.body, 'handle() exploded')
  })

  test('a status page that fails ({name}) is replaced by the fallback page')
    .with([
      { name: '404, throws', path: '/__test__/faults/status-page-throws/404', status: 404 },
      {
        name: '500, rejects',
        path: '/__test__/faults/status-page-throws/500?async=1',
        status: 500,
      },
      { name: '503, throws', path: '/__test__/faults/status-page-throws/503', status: 503 },
    ])
    .run(async ({ assert }, { path, status }) => {
      const { json, html } = await fetchBoth(server, path)

      assert.equal(html.status, status)
      assert.match(html.type, /^text\/html/)
      assert.include(html.body, `<p class="status">Error ${status}</p>`)
      assert.include(html.body, '<a href="/">Go to the home page</a>')
      assert.notMatch(html.body, /status page (threw|rejected)/)
      assert.equal(json.status, status)
      assert.equal(JSON.parse(json.body).errors[0].status, status)
    })

  test('a frozen error (nothing can be added to it) is a clean 500', async ({ assert }) => {
    const { json, html } = await fetchBoth(server, '/__test__/faults/frozen-error')

    assert.equal(json.status, 500)
    assert.deepEqual(JSON.parse(json.body).errors, [
      { status: 500, code: 'E_INTERNAL_SERVER_ERROR', message: 'Internal Server Error' },
    ])
    assert.equal(html.status, 500)
    assert.include(html.body, '<h1>Something went wrong</h1>')
    assert.notInclude(html.body, 'not extensible')
    assert.notInclude(html.body + json.body, 'a frozen failure')
  })

  test('a rejection inside a request is a plain 500', async ({ assert }) => {
    const { json } = await fetchBoth(server, '/__test__/faults/reject-inside')

    assert.equal(json.status, 500)
    assert.deepEqual(JSON.parse(json.body).errors, [
      { status: 500, code: 'E_INTERNAL_SERVER_ERROR', message: 'Internal Server Error' },
    ])
    await server.waitForOutput(/rejected inside a request/)
    const line = server
      .logLines()
      .find((entry) => entry.err?.message === 'rejected inside a request')
    assert.equal(line!.level, 50)
  })

  test('after all of that, the server is still up', async ({ assert }) => {
    const home = await server.fetch('/')
    assert.equal(home.status, 200)
    assert.isNull(server.exitCode)
    assert.isFalse(server.logLines().some((line) => line.level === 60))
  })
})
