/**
 * Mail delivery of the runtime module: `deliver` sends a mail and logs
 * (never throws) a failure; `FileTransport` writes mails to files in
 * development. A separate entry from "#kit/runtime": it loads
 * @adonisjs/mail and nodemailer.
 */

export { deliver, MAIL_FAILED_MESSAGE } from './src/mail/deliver.js'
export {
  FileTransport,
  mailFileName,
  type FileTransportOptions,
} from './src/mail/file_transport.js'
