import { randomUUID } from 'node:crypto'

/**
 * Request ids live in the errors module: every error names its request
 * (in its body, its page and its report), also the bad-URL answer sent
 * before any middleware ran. The security module's response-headers
 * middleware gives each request its id with these helpers.
 */

/**
 * The incoming request ids that are kept: at most 128 letters, digits
 * and `.`, `_`, `:`, `-` (UUIDs, trace ids of load balancers). Anything
 * else (too long, spaces, markup, quotes, non-ASCII) would end up as it
 * is in response headers, error bodies and every log line.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/**
 * A new request id: a random UUID (v4) as 32 hex characters, without its
 * dashes (cut out by position, cheaper than a search for them).
 */
export function newRequestId(): string {
  const uuid = randomUUID()
  return (
    uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18) + uuid.slice(19, 23) + uuid.slice(24)
  )
}

/**
 * The id of a request: its incoming "x-request-id" header when that is
 * short and safe, otherwise a new one.
 */
export function requestIdFrom(incoming: unknown): string {
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : newRequestId()
}
