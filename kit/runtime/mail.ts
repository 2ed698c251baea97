/**
 * Mail delivery of the runtime module: `deliver` sends a mail and logs
 * (never throws) a failure. A separate entry from "#kit/runtime": it
 * loads @adonisjs/mail's service.
 */

export { deliver, MAIL_FAILED_MESSAGE } from './src/mail/deliver.js'
