import { test } from '@japa/runner'
import { Socket } from 'node:net'
import { IncomingMessage } from 'node:http'
import testUtils from '@adonisjs/core/services/test_utils'
import {
  ERROR_ACCEPT_TYPES,
  errorFormatFromAccept,
  formatOfAccepted,
  jsonApiMediaTypeFault,
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
      '*/*, application/json',
      'application/*, text/html',
      'text/*, application/problem+json',
      'text/html;q=0, */*',
      'application/json;q=0, application/*',
      'application/problem+json, application/vnd.api+json',
      'application/vnd.api+json;q=0.8, application/problem+json;q=0.9, text/html;q=0.1',
      'text/plain, application/xml',
      'constructor',
      '__proto__',
      '',
    ])
    .run(async ({ assert }, accept) => {
      const ctx = await contextFor(accept === undefined ? {} : { accept })
      assert.equal(preferredErrorFormat(ctx), await negotiated(accept))
    })

  test('parameters that do not change the representation are ignored ({$self})')
    .with([
      ['application/json; charset=utf-8', 'json'],
      ['application/json;charset="UTF-8"', 'json'],
      ['application/json; version=2; q=0.9, text/html; q=0.5', 'json'],
      ['application/problem+json; charset=utf-8', 'problem'],
      ['text/html; charset=utf-8, application/json', 'html'],
      [
        'application/vnd.api+json; profile="https://example.com/a, https://example.com/b"',
        'jsonapi',
      ],
      ['application/vnd.api+json; ext="https://example.com/ext", application/json', 'jsonapi'],
      ['application/vnd.api+json; charset=utf-8', 'jsonapi'],
      [
        'application/vnd.api+json; ext="https://example.com/ext", application/vnd.api+json',
        'jsonapi',
      ],
      [
        'application/vnd.api+json; ext="https://example.com/ext";q=1, application/json;q=0.5, application/vnd.api+json;q=0.1',
        'json',
      ],
    ] as const)
    .run(async ({ assert }, [accept, format]) => {
      const ctx = await contextFor({ accept })
      assert.equal(preferredErrorFormat(ctx), format)
      assert.equal(errorFormatFromAccept(accept), format)
    })

  test('JSON:API media type faults ({$self})')
    .with([
      [undefined, undefined, undefined],
      ['application/json', 'application/json; charset=utf-8', undefined],
      ['application/vnd.api+json', 'application/vnd.api+json', undefined],
      ['application/vnd.api+json; profile="x"', 'application/vnd.api+json; profile="y"', undefined],
      ['application/vnd.api+json; ext="https://example.com/e"', undefined, 406],
      ['application/vnd.api+json; q=0.5; foo=1', undefined, 406],
      ['application/vnd.api+json; ext="https://e", application/vnd.api+json', undefined, undefined],
      [undefined, 'application/vnd.api+json; charset=utf-8', 415],
      [undefined, 'Application/Vnd.Api+Json; ext="https://example.com/e"', 415],
    ] as const)
    .run(({ assert }, [accept, contentType, fault]) => {
      assert.equal(jsonApiMediaTypeFault(accept, contentType), fault)
    })

  test('a request is negotiated on the Accept header it has when asked', async ({ assert }) => {
    /**
     * Nothing is remembered per request: a middleware that rewrites
     * Accept (the API's forced JSON) changes the format of what follows.
     */
    const ctx = await contextFor({ accept: 'text/html' })
    assert.equal(preferredErrorFormat(ctx), 'html')
    ctx.request.request.headers.accept = 'application/json;q=0.9, text/html;q=0.5'
    assert.equal(preferredErrorFormat(ctx), 'json')
  })
})
