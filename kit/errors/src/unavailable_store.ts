/**
 * The stores a request may depend on.
 */
export type StoreName = 'redis' | 'database'

/**
 * What ioredis says when a command cannot reach Redis: the connection is
 * down (and commands are not queued), it was lost, or Redis did not
 * answer in time.
 */
const REDIS_MESSAGES = [
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Connection is closed.',
  'Command timed out',
]

/**
 * Socket errors: the server refused the connection, dropped it, or could
 * not be found or reached.
 */
const NETWORK_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]

/**
 * PostgreSQL error codes (SQLSTATE) of a server that is not there for us:
 * connection exceptions (class 08), shutting down or starting up (57P01,
 * 57P02, 57P03), out of connections (53300), and a statement cancelled by
 * `statement_timeout` (57014).
 */
const POSTGRES_CODES = /^(08\d{3}|57P0[1-3]|53300|57014)$/

/**
 * What pg says when a connection is lost, cannot be opened in time, or
 * gets no answer in time (knex puts the SQL before the message).
 */
const POSTGRES_MESSAGES = [
  'Connection terminated',
  'timeout expired',
  'Query read timeout',
  'is not queryable',
]

/**
 * Which store an error says cannot be reached (down, unreachable, or not
 * answering in time), or null when the error is something else (a bug, a
 * constraint violation, bad input).
 */
export function unavailableStore(error: unknown): StoreName | null {
  if (!(error instanceof Error)) {
    return null
  }
  const { name, message } = error
  const code = (error as { code?: unknown }).code

  if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.includes(message)) {
    return 'redis'
  }
  if (
    name === 'KnexTimeoutError' ||
    (typeof code === 'string' && (NETWORK_CODES.includes(code) || POSTGRES_CODES.test(code))) ||
    POSTGRES_MESSAGES.some((text) => message.includes(text))
  ) {
    return 'database'
  }
  return null
}
