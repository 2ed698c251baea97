import { test } from '@japa/runner'
import { Socket } from 'node:net'
import { IncomingMessage } from 'node:http'
import { mkdir, writeFile } from 'node:fs/promises'
import edge from 'edge.js'
import { errors, type HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import testUtils from '@adonisjs/core/services/test_utils'
import HttpExceptionHandler from '#exceptions/handler'
import { debugModeWarning } from '#kit/errors/src/debug_mode'
import { describeError } from '#kit/errors/src/error_description'
import { errorBody } from '#kit/errors/src/error_bodies'
import { escapeHtml, fallbackPage } from '#kit/errors/src/fallback_page'
import { toHttpError } from '#kit/errors/src/http_error'
import { capturedLogger } from '#kit/testing'

/**
 * The kit's handler as production configures it (status pages on, debug
 * off), for driving `handle()` and `report()` directly.
 */
class ProductionHandler extends HttpExceptionHandler {
  protected debug = false
  protected renderStatusPages = true
}

/**
 * A real HTTP context for a request with the given headers, with its
 * logger captured.
 */
async function contextFor(
  headers: Record<string, string> = {},
  request: { method?: string; url?: string } = {}
) {
  const req = new IncomingMessage(new Socket())
  req.method = request.method ?? 'GET'
  req.url = request.url ?? '/'
  req.headers = headers
  const ctx = await testUtils.createHttpContext({ req })
  const { logger, lines } = capturedLogger()
  ctx.logger = logger.child({ request_id: ctx.request.id() })
  return { ctx, lines }
}

function sentBody(ctx: HttpContext) {
  return String(ctx.response.getBody())
}

test.group('Errors | status page failures', (group) => {
  group.each.setup(() => () => {
    if (edge.loader.mounted.broken) {
      edge.unmount('broken')
    }
  })

  test('a status page whose template throws gets the fallback page', async ({ fs, assert }) => {
    await mkdir(fs.basePath, { recursive: true })
    await writeFile(`${fs.basePath}/boom.edge`, '<p>{{ page.missing.deeper }}</p>')
    edge.mount('broken', fs.basePath)

    class BrokenPages extends ProductionHandler {
      protected statusPages = {
        '404': (error: unknown, ctx: HttpContext) =>
          this.renderStatusPage('broken::boom', error, ctx),
      }
    }
    const { ctx, lines } = await contextFor({ accept: 'text/html' })

    await new BrokenPages().handle(new Exception('<b>gone</b>', { status: 404 }), ctx)

    assert.equal(ctx.response.getStatus(), 404)
    assert.include(sentBody(ctx), '<h1>Not Found</h1>')
    assert.include(sentBody(ctx), '&lt;b&gt;gone&lt;/b&gt;')
    assert.notInclude(sentBody(ctx), 'deeper')
    assert.equal(lines[0].level, 50)
    assert.equal(lines[0].template, 'broken::boom')
    assert.include(lines[0].err.message, 'deeper')
  })

  test('a missing status page view gets the fallback page', async ({ assert }) => {
    class MissingPages extends ProductionHandler {
      protected statusPages = {
        '500..599': (error: unknown, ctx: HttpContext) =>
          this.renderStatusPage('errors/does_not_exist', error, ctx),
      }
    }
    const { ctx, lines } = await contextFor({ accept: 'text/html' })

    await new MissingPages().handle(new Error('db password is hunter2'), ctx)

    assert.equal(ctx.response.getStatus(), 500)
    assert.include(sentBody(ctx), '<h1>Internal Server Error</h1>')
    assert.notInclude(sentBody(ctx), 'hunter2')
    assert.notInclude(sentBody(ctx), 'does_not_exist')
    assert.lengthOf(lines, 1)
  })

  test('an error thrown while handling an error still gets a response', async ({ assert }) => {
    class ThrowingHandler extends ProductionHandler {
      async renderErrorAsJSON(): Promise<void> {
        throw new Error('renderer exploded')
      }
    }
    const { ctx, lines } = await contextFor({ accept: 'application/json' })

    await new ThrowingHandler().handle(new Exception('conflict', { status: 409 }), ctx)

    assert.equal(ctx.response.getStatus(), 409)
    assert.deepEqual(JSON.parse(sentBody(ctx)).errors[0].code, 'E_CONFLICT')
    assert.include(lines[0].err.message, 'renderer exploded')
  })

  test('a specific status page wins over a range', async ({ assert }) => {
    const { ctx } = await contextFor({ accept: 'text/html' })
    await new ProductionHandler().handle(new Exception('nope', { status: 404 }), ctx)
    assert.include(sentBody(ctx), '<h1>Page not found</h1>')
  })
})

test.group('Errors | handler reporting', () => {
  test('a throwing report() of an exception does not escape', async ({ assert }) => {
    class BadReporter extends Exception {
      static status = 500
      report() {
        throw new Error('reporter exploded')
      }
    }
    const { ctx, lines } = await contextFor()

    await new ProductionHandler().report(new BadReporter('x'), ctx)

    assert.equal(lines[0].msg, 'could not report an error')
    assert.include(lines[0].err.message, 'reporter exploded')
  })

  test('context has the request id, method, ip and path without the query', async ({ assert }) => {
    const { ctx, lines } = await contextFor(
      { 'x-request-id': 'ctx-1' },
      { method: 'POST', url: '/orders/12?token=abc' }
    )

    await new ProductionHandler().report(new Exception('conflict', { status: 409 }), ctx)

    assert.containSubset(lines[0], {
      level: 40,
      msg: 'conflict',
      request_id: 'ctx-1',
      method: 'POST',
      path: '/orders/12',
    })
    assert.notInclude(JSON.stringify(lines[0]), 'token=abc')
  })

  test('reports a {status} at the guide level ({level})')
    .with([
      { status: 500, level: 50 },
      { status: 503, level: 50 },
      { status: 404, level: 40 },
      { status: 409, level: 40 },
    ])
    .run(async ({ assert }, { status, level }) => {
      const { ctx, lines } = await contextFor()
      await new ProductionHandler().report(new Exception('x', { status }), ctx)

      assert.equal(lines[0].level, level)
      assert.equal('err' in lines[0], status >= 500)
    })

  test('instanceof narrowing works in a custom handle()', async ({ assert }) => {
    class NarrowingHandler extends ProductionHandler {
      async handle(error: unknown, ctx: HttpContext) {
        if (error instanceof errors.E_ROUTE_NOT_FOUND) {
          return ctx.response.status(404).send('custom not found')
        }
        return super.handle(error, ctx)
      }
    }
    const { ctx } = await contextFor()

    await new NarrowingHandler().handle(new errors.E_ROUTE_NOT_FOUND(['GET', '/x']), ctx)

    assert.equal(sentBody(ctx), 'custom not found')
  })
})

test.group('Errors | building blocks', () => {
  test('the fallback page escapes every value', async ({ assert }) => {
    const { ctx } = await contextFor({ 'x-request-id': '"><script>id</script>' })
    const description = describeError(
      toHttpError(new Exception('<img src=x onerror=alert(1)>', { status: 400 })),
      ctx,
      { debug: false }
    )

    const html = fallbackPage(description)

    assert.notInclude(html, '<img')
    assert.notInclude(html, '<script>')
    assert.include(html, '&lt;img src=x onerror=alert(1)&gt;')
    assert.include(html, '&quot;&gt;&lt;script&gt;id&lt;/script&gt;')
  })

  test("an error's top-level JSON members reach the plain JSON body only, never replacing errors or requestId", async ({
    assert,
  }) => {
    const { ctx } = await contextFor({ 'x-request-id': 'req-1' })
    const description = describeError(
      toHttpError(new Exception('No', { status: 403, code: 'E_NO' })),
      ctx,
      { debug: false, jsonMembers: { message: 'no', errors: 'replaced', requestId: 'replaced' } }
    )

    assert.deepEqual(JSON.parse(errorBody(description, 'json')), {
      message: 'no',
      errors: [{ status: 403, code: 'E_NO', message: 'No' }],
      requestId: 'req-1',
    })
    assert.deepEqual(Object.keys(JSON.parse(errorBody(description, 'jsonapi'))), ['errors', 'meta'])
    assert.notInclude(errorBody(description, 'problem'), 'replaced')
  })

  test('escapeHtml escapes the five HTML characters', ({ assert }) => {
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;'
    )
  })

  test('driver error codes are not shown', async ({ assert }) => {
    const { ctx } = await contextFor()
    const error = Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT', status: 500 })

    assert.equal(
      describeError(toHttpError(error), ctx, { debug: false }).code,
      'E_INTERNAL_SERVER_ERROR'
    )
  })

  test('debug mode outside development and test is warned about', ({ assert }) => {
    assert.match(
      debugModeWarning(true, 'production')!,
      /Debug mode is on while NODE_ENV is "production"/
    )
    assert.isNull(debugModeWarning(true, 'development'))
    assert.isNull(debugModeWarning(true, 'test'))
    assert.isNull(debugModeWarning(false, 'production'))
  })
})
