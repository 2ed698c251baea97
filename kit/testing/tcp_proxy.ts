import { createConnection, createServer, type Server, type Socket } from 'node:net'

/**
 * A client connection and the proxy's connection to the target.
 */
type Connection = { client: Socket; upstream: Socket }

/**
 * A TCP proxy on 127.0.0.1 in front of a server (Redis, PostgreSQL), to
 * give one app instance an outage without touching the server the other
 * instances (and other test runs) share:
 *
 * - `refuse()`: the port stops accepting connections and open ones are
 *   dropped, as when the server is down;
 * - `hang()`: connections stay open but nothing goes through, as when the
 *   server stops answering;
 * - `restore()` undoes either.
 */
export class TcpProxy {
  #server: Server
  #connections = new Set<Connection>()
  #hanging = false
  port = 0

  constructor(readonly target: { host: string; port: number }) {
    this.#server = this.#createServer()
  }

  /**
   * Starts a proxy on a free port.
   */
  static async start(target: { host: string; port: number }) {
    const proxy = new TcpProxy(target)
    await proxy.#listen(0)
    return proxy
  }

  /**
   * Stops accepting connections and drops the open ones.
   */
  async refuse() {
    const closed = new Promise((resolve) => this.#server.close(resolve))
    for (const { client, upstream } of this.#connections) {
      client.destroy()
      upstream.destroy()
    }
    this.#connections.clear()
    await closed
  }

  /**
   * Keeps connections open but forwards nothing, in either direction.
   */
  hang() {
    this.#hanging = true
    for (const connection of this.#connections) {
      stopForwarding(connection)
    }
  }

  /**
   * Accepts and forwards again, on the same port.
   */
  async restore() {
    if (this.#hanging) {
      this.#hanging = false
      for (const connection of this.#connections) {
        forward(connection)
      }
    }
    if (!this.#server.listening) {
      this.#server = this.#createServer()
      await this.#listen(this.port)
    }
  }

  /**
   * Stops the proxy for good.
   */
  async close() {
    this.#hanging = false
    if (this.#server.listening) {
      await this.refuse()
    }
  }

  #createServer() {
    return createServer((client) => {
      const upstream = createConnection(this.target)
      const connection = { client, upstream }
      this.#connections.add(connection)
      if (this.#hanging) {
        stopForwarding(connection)
      } else {
        forward(connection)
      }

      const drop = () => {
        this.#connections.delete(connection)
        client.destroy()
        upstream.destroy()
      }
      client.on('error', drop).on('close', drop)
      upstream.on('error', drop).on('close', drop)
    })
  }

  #listen(port: number) {
    return new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(port, '127.0.0.1', () => {
        this.port = (this.#server.address() as { port: number }).port
        resolve()
      })
    })
  }
}

/**
 * Sends what each side writes to the other.
 */
function forward({ client, upstream }: Connection) {
  client.pipe(upstream)
  upstream.pipe(client)
}

/**
 * Holds what each side writes (it is sent once forwarding resumes).
 */
function stopForwarding({ client, upstream }: Connection) {
  client.unpipe(upstream)
  upstream.unpipe(client)
  client.pause()
  upstream.pause()
}
