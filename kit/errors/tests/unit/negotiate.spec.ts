import { test } from '@japa/runner'
import { Socket } from 'node:net'
import { IncomingMessage } from 'node:http'
import testUtils from '@adonisjs/core/services/test_utils'
import {
  ERROR_ACCEPT_TYPES,
  formatOfAccepted,
  preferredErrorFormat,
} from '#kit/errors/src/negotiate'

/**
 * A real HTTP context for a request with these headers.
 */
async function contextFor(headers: Record<string, string>) {
  const req = new IncomingMessage(new Socket())
  req.method = 'GET'
  req.url = '/'
  req.headers = headers
  return testUtils.createHttpContext({ req })
}

/**
 * What the full negotiation (`request.accepts`) picks for a header.
 */
async function negotiated(accept: string | undefined) {
  const ctx = await contextFor(accept === undefined ? {} : { accept })
  return formatOfAccepted(ctx.request.accepts(ERROR_ACCEPT_TYPES))
}

test.group('Errors | format negotiation', () => {
  test('the shortcuts pick what the full negotiation picks ({$self})')
    .with([
      undefined,
      'application/json',
      ' application/json ',
      'application/vnd.api+json',
      'application/problem+json',
      'text/html',
      'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'text/html, application/json',
      'text/html;q=0.1, application/json',
      'text/html ;q=0.1, application/json',
      'application/json, text/html',
      'application/json;q=0.5, application/problem+json',
      'application/*',
      '*/*',
      'image/png',
      'constructor',
      '__proto__',
      '',
    ])
    .run(async ({ assert }, accept) => {
      const ctx = await contextFor(accept === undefined ? {} : { accept })
      assert.equal(preferredErrorFormat(ctx), await negotiated(accept))
    })

  test('a request is negotiated once', async ({ assert }) => {
    const ctx = await contextFor({ accept: 'application/json;q=0.9, text/html;q=0.5' })
    assert.equal(preferredErrorFormat(ctx), 'json')
    ctx.request.request.headers.accept = 'text/html'
    assert.equal(preferredErrorFormat(ctx), 'json')
  })
})
