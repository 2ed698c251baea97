import { test } from '@japa/runner'
import { AppProcess } from '#kit/testing'

let server: AppProcess

test.group('Public files | production server', (group) => {
  group.setup(async () => {
    server = await AppProcess.start()
    return async () => {
      await server.stop()
    }
  })

  test('a file of public/ is served, with its request id', async ({ assert }) => {
    const response = await server.fetch('/css/app.css')

    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type')!, /^text\/css/)
    assert.exists(response.headers.get('x-request-id'))
    assert.include(await response.text(), '{')
  })

  test('a percent-encoded path to a file is served too', async ({ assert }) => {
    const response = await server.fetch('/css/app%2Ecss')

    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type')!, /^text\/css/)
  })

  test('other paths go to the router: 404 status page, and 200 for routes', async ({ assert }) => {
    const missing = await server.fetch('/css/missing.css', { headers: { accept: 'text/html' } })
    assert.equal(missing.status, 404)
    assert.include(await missing.text(), '<h1')

    const broken = await server.fetch('/css/%E0%A4%A', { headers: { accept: 'text/html' } })
    assert.equal(broken.status, 400)
    assert.include(await broken.text(), '<h1>Bad Request</h1>')

    const health = await server.fetch('/health')
    assert.equal(health.status, 200)
  })
})
