import { createServer, type Server, type Socket, type AddressInfo } from 'node:net'

/**
 * One message an SMTP client delivered.
 */
export type ReceivedMail = { from: string; to: string[]; data: string }

/**
 * A minimal SMTP server on the loopback address that accepts every mail
 * and keeps it in memory: the far end of the production SMTP transport in
 * tests. It speaks plain SMTP (no STARTTLS, no AUTH), enough for
 * nodemailer.
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = []
  #server: Server
  #sockets = new Set<Socket>()
  port = 0

  constructor() {
    this.#server = createServer((socket) => this.#serve(socket))
  }

  /**
   * Starts listening on a free port.
   */
  async start() {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    this.port = (this.#server.address() as AddressInfo).port
    return this
  }

  /**
   * Stops listening and drops every connection.
   */
  async stop() {
    this.#sockets.forEach((socket) => socket.destroy())
    await new Promise((resolve) => this.#server.close(resolve))
  }

  /**
   * Waits (bounded) for a mail to `to`, and returns its decoded body.
   */
  async waitForMail(to: string, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const mail = this.mails.find((candidate) => candidate.to.includes(to))
      if (mail) {
        return decodeQuotedPrintable(mail.data)
      }
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    throw new Error(`No mail to ${to} arrived in ${timeoutMs} ms`)
  }

  #serve(socket: Socket) {
    this.#sockets.add(socket)
    socket.on('close', () => this.#sockets.delete(socket))
    socket.on('error', () => {})
    socket.setEncoding('utf8')

    let buffer = ''
    let inData = false
    let current: ReceivedMail = { from: '', to: [], data: '' }
    const reply = (line: string) => socket.write(`${line}\r\n`)

    reply('220 sink ESMTP')
    socket.on('data', (chunk: string) => {
      buffer += chunk
      let end: number
      while ((end = buffer.indexOf('\r\n')) !== -1) {
        const line = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)

        if (inData) {
          if (line === '.') {
            inData = false
            this.mails.push(current)
            current = { from: '', to: [], data: '' }
            reply('250 OK: queued')
          } else {
            current.data += (line.startsWith('..') ? line.slice(1) : line) + '\n'
          }
          continue
        }

        const command = line.slice(0, 4).toUpperCase()
        if (command === 'EHLO' || command === 'HELO') {
          reply('250 sink')
        } else if (command === 'MAIL') {
          current.from = line.replace(/^MAIL FROM:\s*<?([^>\s]*)>?.*$/i, '$1')
          reply('250 OK')
        } else if (command === 'RCPT') {
          current.to.push(line.replace(/^RCPT TO:\s*<?([^>\s]*)>?.*$/i, '$1'))
          reply('250 OK')
        } else if (command === 'DATA') {
          inData = true
          reply('354 End data with <CR><LF>.<CR><LF>')
        } else if (command === 'QUIT') {
          reply('221 Bye')
          socket.end()
        } else {
          reply('250 OK')
        }
      }
    })
  }
}

/**
 * Undoes quoted-printable encoding (soft line breaks, =XX bytes), which
 * mail bodies with long lines (links) use.
 */
export function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '')
  const bytes = joined.replace(/=([0-9A-F]{2})/g, (_, hex) => `%${hex}`)
  try {
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, '%25'))
  } catch {
    return joined
  }
}

/**
 * The first link in a mail body that starts with `prefix`.
 */
export function linkIn(body: string, prefix: string): string {
  const match = body.match(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\s"<>]*`))
  if (!match) {
    throw new Error(`No link starting with ${prefix} in the mail:\n${body}`)
  }
  return match[0].replace(/&amp;/g, '&')
}
