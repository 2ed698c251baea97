import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import testUtils from '@adonisjs/core/services/test_utils'
import CrashProbeException from '#exceptions/generator_probe_20920/crash_probe_exception'

/**
 * What the responses must say.
 */
const ROUTE = '/__test__/exceptions/generator_probe_20920/crash_probe'
const STATUS = 500
const CODE = 'E_CRASH_PROBE'
const MESSAGE = 'Crash probe'

/**
 * A route that throws the exception. Routes are registered when this file
 * is imported, before the HTTP server starts.
 */
router.get(ROUTE, () => {
  throw new CrashProbeException()
})

test.group('CrashProbeException', (group) => {
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
})
