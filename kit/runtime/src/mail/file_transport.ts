import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import type { Logger } from '@adonisjs/core/logger'
import { MailResponse } from '@adonisjs/mail'
import type { MailTransportContract, NodeMailerMessage } from '@adonisjs/mail/types'

/**
 * Where the file transport writes, and whom it tells.
 */
export type FileTransportOptions = {
  /**
   * The folder mails are written to (created when missing).
   */
  directory: string

  /**
   * Logs one line per mail, with the link to open it.
   */
  logger: Logger

  /**
   * The address of the page listing the mails (`/dev/mails`): the log
   * line links to the mail under it.
   */
  pagesUrl: string

  /**
   * The clock, for the file names.
   */
  now?: () => Date
}

/**
 * A mail transport for development: nothing is sent, every mail is written
 * to a folder twice, as `<name>.eml` (the whole message, as an SMTP server
 * would receive it; mail clients open it) and `<name>.html` (its HTML part,
 * for a browser). The log prints the link to the newest one.
 */
export class FileTransport implements MailTransportContract {
  #composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })

  constructor(protected options: FileTransportOptions) {}

  /**
   * Writes the message, and returns what the SMTP transport would.
   */
  async send(message: NodeMailerMessage): Promise<MailResponse<unknown>> {
    const composed = await this.#composer.sendMail(message)
    const name = mailFileName((this.options.now ?? (() => new Date()))(), message.subject)

    await mkdir(this.options.directory, { recursive: true })
    await writeFile(join(this.options.directory, `${name}.eml`), composed.message as Buffer)
    await writeFile(join(this.options.directory, `${name}.html`), htmlOf(message))

    this.options.logger.info(
      `mail "${message.subject ?? ''}" written to tmp/mails: ${this.options.pagesUrl}/${name}.html`
    )
    return new MailResponse(composed.messageId, composed.envelope, composed)
  }
}

/**
 * A file name (without extension) that sorts by time: the date, then the
 * subject's words.
 */
export function mailFileName(date: Date, subject: string | undefined): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace('.', '-')
  const words = (subject ?? 'mail')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
  return `${stamp}-${words || 'mail'}`
}

/**
 * The HTML part of a message, else its text part in a <pre>.
 */
function htmlOf(message: NodeMailerMessage): string {
  if (typeof message.html === 'string') {
    return message.html
  }
  const text = typeof message.text === 'string' ? message.text : ''
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return `<!DOCTYPE html><meta charset="utf-8"><pre>${escaped}</pre>\n`
}
