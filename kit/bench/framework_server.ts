/*
|--------------------------------------------------------------------------
| AdonisJS alone, for "npm run bench": the framework's HTTP server with no
| middleware and an error handler that only writes route 7's 404 body
|--------------------------------------------------------------------------
|
| Started by "kit/bench/run.ts" like the floor server: it receives route 7's
| body ({ json404 }) as its first message, listens on 127.0.0.1 (PORT) and
| answers "listening <port>" on the channel. An unknown URL goes the way it
| goes in any AdonisJS 7 app: request, response and HTTP context, a request
| id and the request's child logger, the router's lookup and its
| E_ROUTE_NOT_FOUND, the handler's report and handle, the response written
| by the framework. Nothing of the kit runs. Its rate, beside the node:http
| floor's and route 7's, says how much of route 7's cost is the framework's.
|
*/

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Logger } from '@adonisjs/core/logger'
import { AppFactory } from '@adonisjs/core/factories/app'
import { ServerFactory } from '@adonisjs/core/factories/http'
import type { HttpContext } from '@adonisjs/core/http'

process.once('message', async ({ json404 }: { json404: string }) => {
  const body = Buffer.from(json404)

  /**
   * Answers every error with route 7's body, the way a handler that
   * renders its own JSON would (status, content type, send).
   */
  class BodyOnlyHandler {
    report() {}

    handle(_error: unknown, ctx: HttpContext) {
      ctx.response.status(404).header('content-type', 'application/json; charset=utf-8')
      ctx.response.send(body)
    }
  }

  const app = new AppFactory().create(new URL('../../', import.meta.url))
  await app.init()
  const server = new ServerFactory()
    .merge({
      app,
      logger: new Logger({ enabled: true, name: 'app', level: 'info' }),
      config: { generateRequestId: true },
    })
    .create()
  server.errorHandler(async () => ({ default: BodyOnlyHandler }))
  await server.boot()

  const httpServer = createServer((request, response) => server.handle(request, response))
  httpServer.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
    process.send!(`listening ${(httpServer.address() as AddressInfo).port}`)
  })
  process.once('disconnect', () => httpServer.close())
})
