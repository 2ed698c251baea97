import { test } from '@japa/runner'
import { Socket } from 'node:net'
import { IncomingMessage } from 'node:http'
import testUtils from '@adonisjs/core/services/test_utils'
import HttpExceptionHandler from '#exceptions/handler'
import ServiceUnavailableException from '#kit/errors/src/exceptions/service_unavailable_exception'
import app from '@adonisjs/core/services/app'
import { StoreOutages } from '#kit/errors/src/store_outages'
import { capturedLogger } from '#kit/testing'

/**
 * The kit's handler as production configures it.
 */
class ProductionHandler extends HttpExceptionHandler {
  protected debug = false
  protected renderStatusPages = true
}

/**
 * A real HTTP context for a request with the given Accept header, with its
 * logger captured.
 */
async function contextFor(accept: string) {
  const req = new IncomingMessage(new Socket())
  req.method = 'GET'
  req.url = '/dashboard'
  req.headers = { accept }
  const ctx = await testUtils.createHttpContext({ req })
  const { logger, lines } = capturedLogger()
  ctx.logger = logger
  return { ctx, lines }
}

/**
 * What pg raises when PostgreSQL refuses connections.
 */
function connectionRefused() {
  return Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), {
    code: 'ECONNREFUSED',
    address: '10.0.0.7',
    port: 5432,
  })
}

test.group('Errors | service unavailable', (group) => {
  group.each.teardown(async () => {
    const outages = await app.container.make(StoreOutages)
    outages.stop()
  })

  test('a database outage raised anywhere gives browsers the 503 page', async ({ assert }) => {
    const { ctx } = await contextFor('text/html')

    await new ProductionHandler().handle(connectionRefused(), ctx)

    assert.equal(ctx.response.getStatus(), 503)
    assert.equal(ctx.response.getHeader('retry-after'), '5')
    const html = String(ctx.response.getBody())
    assert.include(html, '<title>Service unavailable (503)</title>')
    assert.notInclude(html, 'ECONNREFUSED')
    assert.notInclude(html, '10.0.0.7')
  })

  test('API clients get the 503 body, without the cause', async ({ assert }) => {
    const { ctx } = await contextFor('application/json')

    await new ProductionHandler().handle(connectionRefused(), ctx)

    assert.equal(ctx.response.getStatus(), 503)
    const text = String(ctx.response.getBody())
    const [entry] = JSON.parse(text).errors
    assert.equal(entry.status, 503)
    assert.equal(entry.code, 'E_SERVICE_UNAVAILABLE')
    assert.notInclude(text, 'ECONNREFUSED')
    assert.notInclude(text, '10.0.0.7')
  })

  test('the outage is recorded for the store, not reported per request', async ({ assert }) => {
    const { ctx, lines } = await contextFor('application/json')
    const handler = new ProductionHandler()
    const error = connectionRefused()

    await handler.report(error, ctx)
    await handler.handle(error, ctx)

    assert.lengthOf(lines, 0)
    const outages = await app.container.make(StoreOutages)
    assert.isTrue(outages.of('database').isOngoing)
    assert.isFalse(outages.of('redis').isOngoing)
  })

  test('an error that is not an outage stays a 500', async ({ assert }) => {
    const { ctx } = await contextFor('application/json')

    await new ProductionHandler().handle(new Error('SQLITE_CONSTRAINT: UNIQUE failed'), ctx)

    assert.equal(ctx.response.getStatus(), 500)
    const outages = await app.container.make(StoreOutages)
    assert.isFalse(outages.of('database').isOngoing)
  })

  test('fromStoreError keeps the exception, names the store, and ignores other errors', ({
    assert,
  }) => {
    const redisDown = ServiceUnavailableException.fromStoreError(new Error('Command timed out'))
    assert.equal(redisDown?.store, 'redis')
    assert.strictEqual(ServiceUnavailableException.fromStoreError(redisDown), redisDown)
    assert.equal(ServiceUnavailableException.fromStoreError(connectionRefused())?.store, 'database')
    assert.isNull(ServiceUnavailableException.fromStoreError(new Error('boom')))
  })
})
