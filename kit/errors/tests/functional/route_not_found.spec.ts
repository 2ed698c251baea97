import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { errors } from '@adonisjs/core/http'
import HttpExceptionHandler from '#exceptions/handler'

/**
 * Keeps every error the running server's handler (the container's
 * singleton) is asked to answer, until the test ends.
 */
async function errorsHandled(cleanup: (fn: () => void) => void) {
  const handler = await app.container.make(HttpExceptionHandler)
  const seen: unknown[] = []
  const handle = handler.handle
  handler.handle = function (error, ctx) {
    seen.push(error)
    return handle.call(this, error, ctx)
  }
  cleanup(() => {
    handler.handle = handle
  })
  return seen
}

test.group('Errors | a URL no route matches', () => {
  test('reaches the handler as the router E_ROUTE_NOT_FOUND, without a stack trace', async ({
    client,
    assert,
    cleanup,
  }) => {
    const seen = await errorsHandled(cleanup)

    const response = await client.get('/no/such/page').accept('json')

    response.assertStatus(404)
    assert.equal(response.body().errors[0].code, 'E_ROUTE_NOT_FOUND')
    assert.equal(response.body().errors[0].message, 'Cannot GET:/no/such/page')
    assert.lengthOf(seen, 1)
    const error = seen[0] as InstanceType<typeof errors.E_ROUTE_NOT_FOUND>
    assert.instanceOf(error, errors.E_ROUTE_NOT_FOUND)
    assert.equal(error.status, 404)
    assert.notMatch(error.stack!, /\n\s+at /)
  })

  test('routes with parameters, HEAD of a GET route and public files are found', async ({
    client,
    assert,
    cleanup,
  }) => {
    const seen = await errorsHandled(cleanup)

    const reset = await client.get('/reset-password/some%20token').redirects(0)
    const head = await client.head('/health')
    const stylesheet = await client.get('/css/app.css')

    assert.notEqual(reset.status(), 404)
    head.assertStatus(200)
    stylesheet.assertStatus(200)
    assert.notInclude(
      seen.map((error) => (error as { code?: string }).code),
      'E_ROUTE_NOT_FOUND'
    )
  })
})
