import { request, type IncomingHttpHeaders } from 'node:http'
import type { AppProcess } from '#kit/testing/app_process'

/**
 * A response as Node's http client sees it.
 */
export type NodeResponse = {
  status: number
  headers: IncomingHttpHeaders
  contentType: string
  body: string
}

/**
 * Sends a request to a spawned server through Node's http client, with
 * none of fetch's checks or normalisation (a malformed URL is sent as
 * given). A string body is sent with a content-length; an array of
 * strings in chunks, without one.
 */
export function nodeRequest(
  server: AppProcess,
  options: {
    path: string
    method?: string
    headers?: Record<string, string>
    body?: string | string[]
  }
): Promise<NodeResponse> {
  const { hostname, port } = new URL(server.url)
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { hostname, port, agent: false, method: 'GET', ...options },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => (body += chunk))
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            headers: response.headers,
            contentType: response.headers['content-type'] ?? '',
            body,
          })
        )
      }
    )
    outgoing.on('error', reject)
    if (Array.isArray(options.body)) {
      options.body.forEach((chunk) => outgoing.write(chunk))
      outgoing.end()
    } else {
      outgoing.end(options.body)
    }
  })
}
