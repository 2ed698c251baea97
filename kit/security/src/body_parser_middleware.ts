import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { BodyParserConfig } from '@adonisjs/core/types/bodyparser'
import FrameworkBodyParser from '@adonisjs/core/bodyparser_middleware'
import { safeParse } from '@poppinss/utils/json'
import { jsonNestingExceeds, nestingExceeds } from '#kit/security/src/body_depth'
import { bodyTooDeepError, invalidJsonError, jsonNotObjectError } from '#kit/errors/exceptions'

/**
 * The start of a JSON object or array (after the whitespace RFC 8259
 * allows: space, tab, line feed, carriage return): what a strict JSON
 * body must be.
 */
const OBJECT_OR_ARRAY = /^[ \t\n\r]*[[{]/

/**
 * AdonisJS's body parser (config/bodyparser.ts), with a limit on how
 * deeply a body may nest (`maxBodyDepth`, config/security.ts): a deeper one is refused with
 * 400 E_BODY_TOO_DEEP before the route runs.
 *
 * - JSON is read as text by the framework (its limits, decompression and
 *   errors unchanged), then scanned in one pass and parsed here, as the
 *   framework parses it (prototype-poisoning keys dropped, strings
 *   trimmed and empty ones made null as configured). The framework
 *   parses first: a megabyte of "[[[[..." then takes tens of milliseconds
 *   of CPU to build, and its reviver overflows the stack on it.
 * - Form and multipart bodies are checked once parsed, before the request
 *   keeps them: it deep-clones them recursively, and a multipart field
 *   named "a[x][x]..." a few thousand levels deep overflows the stack in
 *   the multipart parser's event handler, where nothing catches it and
 *   the process exits. URL-encoded forms nest at most 5 levels anyway
 *   (the query-string parser's `depth`).
 *
 * Multipart bodies processed by the route itself (`processManually`) are
 * not checked. One instance serves every request
 * (made by kit/security/provider.ts).
 */
export default class BodyParserMiddleware {
  #config: BodyParserConfig
  #maxDepth: number
  #parser: FrameworkBodyParser
  #jsonText: FrameworkBodyParser
  #reviver?: (key: string, value: unknown) => unknown

  constructor(config: BodyParserConfig, maxDepth: number) {
    this.#config = config
    this.#maxDepth = maxDepth
    this.#parser = new FrameworkBodyParser(config)
    this.#jsonText = new FrameworkBodyParser({
      ...config,
      form: { ...config.form, types: [] },
      multipart: { ...config.multipart, types: [] },
      json: { ...config.json, types: [] },
      raw: {
        encoding: config.json.encoding,
        limit: config.json.limit,
        types: config.json.types,
      },
    })
    this.#reviver = jsonReviver(config.json)
  }

  handle(ctx: HttpContext, next: NextFn) {
    const request = ctx.request
    if (!this.#config.allowedMethods.includes(request.method()) || !request.hasBody()) {
      return this.#parser.handle(ctx, next)
    }

    const json = this.#config.json.types.length > 0 && !!request.is(this.#config.json.types)
    const setInitialBody = request.setInitialBody.bind(request)
    let reading = true
    let tooDeep = false

    /**
     * Every parser hands its body to `setInitialBody`: while the body is
     * read, this request's own replacement checks it first (and skips the
     * empty placeholder the text reader sets for JSON). It is replaced,
     * never deleted: deleting a property of the request would switch
     * V8 to slow property lookups on it for the rest of the request.
     */
    request.setInitialBody = (body) => {
      if (reading) {
        if (json) {
          return
        }
        if (nestingExceeds(body, this.#maxDepth)) {
          tooDeep = true
          body = {}
        }
      }
      setInitialBody(body)
    }

    return (json ? this.#jsonText : this.#parser).handle(ctx, () => {
      reading = false
      if (tooDeep) {
        throw bodyTooDeepError(this.#maxDepth)
      }
      if (json && request.bodyType === 'raw') {
        request.setInitialBody(this.#parseJson(request.raw() ?? ''))
        request.bodyType = 'json'
      }
      return next()
    })
  }

  /**
   * A JSON body as the framework's parser returns it, after the depth
   * check. An empty body is an empty object.
   */
  #parseJson(text: string): Record<string, any> {
    if (text === '') {
      return {}
    }
    if (this.#config.json.strict && !OBJECT_OR_ARRAY.test(text)) {
      throw jsonNotObjectError()
    }
    if (jsonNestingExceeds(text, this.#maxDepth)) {
      throw bodyTooDeepError(this.#maxDepth)
    }
    try {
      return safeParse(text, this.#reviver)
    } catch {
      throw invalidJsonError()
    }
  }
}

/**
 * The reviver the framework's JSON parser uses for these settings: strings
 * trimmed and empty ones made null, or undefined when neither is on.
 */
function jsonReviver(config: BodyParserConfig['json']) {
  const { trimWhitespaces, convertEmptyStringsToNull } = config
  if (!trimWhitespaces && !convertEmptyStringsToNull) {
    return undefined
  }
  return (key: string, value: unknown) => {
    if (key === '' || typeof value !== 'string') {
      return value
    }
    const text = trimWhitespaces ? value.trim() : value
    return convertEmptyStringsToNull && text === '' ? null : text
  }
}
