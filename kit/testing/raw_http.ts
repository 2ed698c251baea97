import { connect } from 'node:net'

/**
 * A response read off the socket: the status, the headers (names in
 * lower case, the last value of a repeated header) and the body.
 */
export type RawHttpResponse = {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * Sends one HTTP/1.1 request byte for byte (header values Node.js' own
 * client would refuse included: control characters, raw UTF-8) over a
 * new connection (`connection: close`), and reads the response until the
 * server closes it.
 */
export function rawHttp(
  url: string,
  options: { method?: string; path: string; headers?: [string, string | Buffer][]; body?: Buffer }
): Promise<RawHttpResponse> {
  const { hostname, port } = new URL(url)
  const head = Buffer.concat([
    Buffer.from(`${options.method ?? 'GET'} ${options.path} HTTP/1.1\r\nhost: ${hostname}\r\n`),
    ...(options.headers ?? []).map(([name, value]) =>
      Buffer.concat([Buffer.from(`${name}: `), Buffer.from(value), Buffer.from('\r\n')])
    ),
    Buffer.from(
      `connection: close\r\n${options.body ? `content-length: ${options.body.length}\r\n` : ''}\r\n`
    ),
  ])

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect(Number(port), hostname, () => {
      // Not end(): Node.js drops a request whose client half-closes early.
      socket.write(options.body ? Buffer.concat([head, options.body]) : head)
    })
    socket.on('data', (chunk) => chunks.push(chunk))
    /**
     * A server that answers before reading the whole body (a 413) closes
     * the connection while the rest is still being written: the write
     * fails (EPIPE, ECONNRESET) after the answer arrived. The answer is
     * what counts; the failure only when none came.
     */
    let failure: Error | undefined
    socket.on('error', (error) => {
      failure = error
    })
    socket.on('close', () => {
      const raw = Buffer.concat(chunks)
      const headEnd = raw.indexOf('\r\n\r\n')
      if (headEnd === -1) {
        reject(failure ?? new Error('The server closed the connection without an answer'))
        return
      }
      const [statusLine, ...headerLines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of headerLines) {
        const colon = line.indexOf(':')
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      const body = raw.subarray(headEnd + 4)
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: (headers['transfer-encoding'] === 'chunked' ? dechunk(body) : body).toString('utf8'),
      })
    })
  })
}

/**
 * The body of a response sent with `transfer-encoding: chunked`.
 */
function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = []
  let offset = 0
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset)
    const size = Number.parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16)
    if (!size) {
      break
    }
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size))
    offset = lineEnd + 2 + size + 2
  }
  return Buffer.concat(parts)
}
