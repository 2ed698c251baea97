import { request, type ClientRequest, type IncomingMessage } from 'node:http'

/**
 * What a trickled request got back.
 */
export type TrickledResponse = {
  status: number
  setCookies: string[]
  body: string
}

/**
 * A real HTTP request whose body is sent slowly, as a slow upload does:
 * the headers and a first byte go at once, then one byte at a time while
 * `trickle()` runs, then the rest at `finish()`. The server sees the
 * request arrive at once and its body end only at `finish()`.
 */
export class TrickledRequest {
  #request: ClientRequest
  #response: Promise<TrickledResponse>
  #body: Buffer
  #sent = 0

  constructor(
    url: string,
    init: { method?: string; headers: Record<string, string>; body: string | Buffer }
  ) {
    this.#body = Buffer.from(init.body)
    this.#request = request(url, {
      method: init.method ?? 'POST',
      headers: { ...init.headers, 'content-length': String(this.#body.length) },
    })
    this.#response = new Promise((resolve, reject) => {
      this.#request.once('error', reject)
      this.#request.once('response', (response: IncomingMessage) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => (body += chunk))
        response.once('error', reject)
        response.once('end', () =>
          resolve({
            status: response.statusCode!,
            setCookies: [response.headers['set-cookie'] ?? []].flat(),
            body,
          })
        )
      })
    })
    this.#response.catch(() => {})
    this.#send(1)
  }

  /**
   * Sends one more byte of the body every `everyMs` for `ms`, never the
   * last one.
   */
  async trickle(ms: number, everyMs = 50) {
    const until = Date.now() + ms
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, everyMs))
      if (this.#sent < this.#body.length - 1) {
        this.#send(1)
      }
    }
  }

  /**
   * Sends the rest of the body and waits for the response.
   */
  finish(): Promise<TrickledResponse> {
    this.#request.end(this.#body.subarray(this.#sent))
    return this.#response
  }

  #send(bytes: number) {
    this.#request.write(this.#body.subarray(this.#sent, this.#sent + bytes))
    this.#sent += bytes
  }
}
