import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import testUtils from '@adonisjs/core/services/test_utils'
import PaymentProbeException from '#exceptions/generator_probe_20920/payment_probe_exception'

/**
 * What the responses must say.
 */
const ROUTE = '/__test__/exceptions/generator_probe_20920/payment_probe'
const STATUS = 402
const CODE = 'E_PAYMENT_PROBE'
const MESSAGE = 'It\'s "over"'

/**
 * A route that throws the exception. Routes are registered when this file
 * is imported, before the HTTP server starts.
 */
router.get(ROUTE, () => {
  throw new PaymentProbeException()
})

test.group('PaymentProbeException', (group) => {
  /**
   * The unit suite does not start the HTTP server: this group does, and
   * stops it when done.
   */
  group.setup(() => testUtils.httpServer().start())

  test('responds with its status, code and message', async ({ client }) => {
    const response = await client.get(ROUTE).header('accept', 'application/json')

    response.assertStatus(STATUS)
    response.assertBodyContains({
      errors: [{ status: STATUS, code: CODE, message: MESSAGE }],
    })
  })

  test('answers problem+json clients with an RFC 9457 body', async ({ client, assert }) => {
    const response = await client.get(ROUTE).header('accept', 'application/problem+json')

    response.assertStatus(STATUS)
    assert.include(response.header('content-type')!, 'application/problem+json')
    response.assertBodyContains({
      type: 'about:blank',
      title: 'Payment Required',
      status: STATUS,
      detail: MESSAGE,
      instance: ROUTE,
      code: CODE,
    })
  })

  test('shows browsers the status page', async ({ client, assert }) => {
    const response = await client.get(ROUTE).header('accept', 'text/html')

    response.assertStatus(STATUS)
    assert.include(response.header('content-type')!, 'text/html')
    assert.include(response.text(), 'Error 402')
  })
})
