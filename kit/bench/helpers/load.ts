import autocannon from 'autocannon'
import type { IncomingHttpHeaders } from 'node:http'
import { PRODUCTION_SESSION_COOKIE } from '#kit/testing/sign_in'

/**
 * One kind of request sent during a load run.
 */
export type LoadRequest = {
  /**
   * The path, or a function giving a new path for every request.
   */
  path: string | (() => string)
  headers: Record<string, string>
}

/**
 * How a load run is driven.
 */
export type LoadOptions = {
  /**
   * The requests each connection sends, in turn.
   */
  requests: LoadRequest[]
  /**
   * Statuses that count as expected answers.
   */
  expectedStatuses: number[]
  connections: number
  /**
   * Seconds to run for (ignored when `amount` is given).
   */
  duration?: number
  /**
   * Total number of requests to send.
   */
  amount?: number
  /**
   * Session cookies ("name=value"), handed to the connections in turn.
   */
  cookies?: string[]
  /**
   * Whether a connection adopts the session cookie a response sets (as a
   * browser would after a token rotation).
   */
  followCookies?: boolean
}

/**
 * What a load run measured.
 */
export type LoadResult = {
  requests: number
  requestsPerSecond: number
  p50: number
  p99: number
  /**
   * Answers with another status than expected, errors and timeouts.
   */
  unexpected: number
  /**
   * Responses that set a new session cookie (token rotations seen).
   */
  newCookies: number
}

/**
 * The session cookie among raw header pairs ([name, value, name, value]).
 */
function sessionCookieOf(rawHeaders: string[]): string | undefined {
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const value = rawHeaders[index + 1]
    if (
      rawHeaders[index].toLowerCase() === 'set-cookie' &&
      value.startsWith(`${PRODUCTION_SESSION_COOKIE}=`)
    ) {
      return value.split(';')[0]
    }
  }
}

/**
 * Drives `baseUrl` with autocannon (keep-alive connections, one request in
 * flight each) and sums up what it measured.
 */
export async function load(baseUrl: string, options: LoadOptions): Promise<LoadResult> {
  const cookies = options.cookies ?? []
  let nextCookie = 0
  let newCookies = 0

  const result = await autocannon({
    url: baseUrl,
    connections: options.connections,
    pipelining: 1,
    timeout: 10,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
    requests: options.requests.map(({ path, headers }) =>
      typeof path === 'string'
        ? { method: 'GET' as const, path, headers }
        : {
            method: 'GET' as const,
            headers,
            setupRequest: (request: autocannon.Request) => ({ ...request, path: path() }),
          }
    ),
    setupClient(client) {
      if (cookies.length === 0) {
        return
      }
      let headers: IncomingHttpHeaders = {
        ...options.requests[0].headers,
        cookie: cookies[nextCookie++ % cookies.length],
      }
      client.setHeaders(headers)

      if (options.followCookies) {
        /**
         * autocannon's parser hands over { statusCode, headers: [name, value, ...] }.
         */
        client.on('headers', (info: any) => {
          const cookie = sessionCookieOf(info.headers ?? [])
          if (cookie && cookie !== headers.cookie) {
            newCookies++
            headers = { ...headers, cookie }
            client.setHeaders(headers)
          }
        })
      }
    },
  })

  const counts = result.statusCodeStats ?? {}
  const expected = options.expectedStatuses.reduce(
    (sum, status) => sum + (counts[`${status}`]?.count ?? 0),
    0
  )
  const answered = Object.values(counts).reduce((sum, { count }) => sum + (count ?? 0), 0)

  return {
    requests: answered,
    requestsPerSecond: options.amount
      ? answered / Math.max(result.duration, 0.001)
      : result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    unexpected: answered - expected + result.errors + result.timeouts,
    newCookies,
  }
}
