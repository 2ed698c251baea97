import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { configProvider } from '@adonisjs/core'
import { defineConfig, transports } from '@adonisjs/mail'

/**
 * The address the app is reached at: links in mails start with it.
 * APP_URL when set, else http://HOST:PORT. Never the request's Host
 * header, which a client chooses.
 */
export const appUrl = (
  env.get('APP_URL') ?? `http://${env.get('HOST')}:${env.get('PORT')}`
).replace(/\/+$/, '')

/**
 * The folder the development transport writes mails to; `/dev/mails`
 * lists it.
 */
export const mailsDirectory = app.tmpPath('mails')

const mailConfig = defineConfig({
  /**
   * SMTP in production; everywhere else, mails are written to tmp/mails/
   * and no mail server is needed. Tests replace both with the package's
   * fake (`mail.fake()`).
   */
  default: app.inProduction ? 'smtp' : 'file',

  /**
   * The sender of every mail.
   */
  from: env.get('MAIL_FROM') ?? 'Starter kit <no-reply@localhost>',

  mailers: {
    /**
     * SMTP_HOST and SMTP_PORT (587 when unset); STARTTLS is used when the
     * server offers it. Credentials only when SMTP_USERNAME is set.
     */
    smtp: transports.smtp({
      host: env.get('SMTP_HOST') ?? 'localhost',
      port: env.get('SMTP_PORT') ?? 587,
      auth: env.get('SMTP_USERNAME')
        ? {
            type: 'login',
            user: env.get('SMTP_USERNAME')!,
            pass: env.get('SMTP_PASSWORD') ?? '',
          }
        : undefined,
    }),

    /**
     * Development: each mail written to tmp/mails/ as .eml and .html, and
     * a log line linking to it on the /dev/mails page. Loaded on first
     * use (nodemailer is not imported by every "node ace" command).
     */
    file: configProvider.create(async (application) => {
      const { FileTransport } = await import('#kit/runtime/file_transport')
      const logger = await application.container.make('logger')
      return () =>
        new FileTransport({
          directory: mailsDirectory,
          logger,
          pagesUrl: `${appUrl}/dev/mails`,
        })
    }),
  },
})

export default mailConfig

declare module '@adonisjs/mail/types' {
  export interface MailersList extends InferMailers<typeof mailConfig> {}
}
