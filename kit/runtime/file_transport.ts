/**
 * The mail transport of development: `FileTransport` writes each mail to
 * a file. Its own entry, apart from "#kit/runtime/mail": "config/mail.ts"
 * imports it while @adonisjs/mail's service is being made, and that
 * service cannot be imported again then (the import would wait on
 * itself).
 */

export {
  FileTransport,
  mailFileName,
  type FileTransportOptions,
} from './src/mail/file_transport.js'
