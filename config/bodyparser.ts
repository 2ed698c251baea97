import { defineConfig } from '@adonisjs/core/bodyparser'

const bodyParserConfig = defineConfig({
  /**
   * The bodyparser middleware will parse the request body
   * for the following HTTP methods.
   */
  allowedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],

  /**
   * Config for the "application/x-www-form-urlencoded"
   * content-type parser
   */
  form: {
    convertEmptyStringsToNull: true,
    types: ['application/x-www-form-urlencoded'],

    /**
     * Larger bodies are refused with 413 before they are parsed.
     */
    limit: '1mb',
  },

  /**
   * Config for the JSON parser
   */
  json: {
    convertEmptyStringsToNull: true,
    types: [
      'application/json',
      'application/json-patch+json',
      'application/vnd.api+json',
      'application/csp-report',
    ],

    /**
     * Larger bodies are refused with 413 before they are parsed; a body
     * that is not valid JSON gets 400, one nested deeper than
     * `maxBodyDepth` too.
     */
    limit: '1mb',
  },

  /**
   * Config for the "multipart/form-data" content-type parser.
   * File uploads are handled by the multipart parser.
   */
  multipart: {
    /**
     * Enabling auto process allows bodyparser middleware to
     * move all uploaded files inside the tmp folder of your
     * operating system
     */
    autoProcess: true,
    convertEmptyStringsToNull: true,
    processManually: [],

    /**
     * Maximum limit of data to parse including all files
     * and fields
     */
    limit: '20mb',
    types: ['multipart/form-data'],
  },
})

export default bodyParserConfig

/**
 * How deeply a JSON or multipart body may nest objects and arrays (the
 * body itself is level 1). A deeper body is refused with 400
 * E_BODY_TOO_DEEP before the route runs, a JSON one before it is even
 * parsed (kit/security/src/body_parser_middleware.ts). Form fields nest 5
 * levels at most: the query-string parser's `depth`.
 */
export const maxBodyDepth = 64
