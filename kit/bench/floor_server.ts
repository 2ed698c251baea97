/*
|--------------------------------------------------------------------------
| The floor of "npm run bench": a bare node:http server answering the same
| bytes as the app's JSON and HTML routes, with no framework in the way.
| Every figure of the bench is also given as a share of this server's.
|--------------------------------------------------------------------------
|
| Started by "kit/bench/run.ts" with an IPC channel: it receives the bodies
| ({ json, html, json404 }) as its first message, listens on 127.0.0.1 (PORT) and
| answers "listening <port>" on the channel.
|
*/

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * The bodies to answer with, sent by the bench.
 */
type Bodies = { json: string; html: string; json404: string }

process.once('message', (bodies: Bodies) => {
  const json = Buffer.from(bodies.json)
  const html = Buffer.from(bodies.html)

  const json404 = Buffer.from(bodies.json404)

  const server = createServer((request, response) => {
    if (request.url === '/json404') {
      response.writeHead(404, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': json404.length,
      })
      response.end(json404)
      return
    }
    const isHtml = request.url === '/html'
    const body = isHtml ? html : json
    response.writeHead(200, {
      'content-type': isHtml ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
      'content-length': body.length,
    })
    response.end(body)
  })

  server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
    process.send!(`listening ${(server.address() as AddressInfo).port}`)
  })
  process.once('disconnect', () => server.close())
})
