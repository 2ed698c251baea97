import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { HttpContext } from '@adonisjs/core/http'
import { errors } from '@adonisjs/core/http'
import { respond } from '#kit/errors'
import { mailsDirectory } from '#config/mail'

/**
 * A mail file name the development transport writes (no path, no dots
 * but the extension's).
 */
const MAIL_FILE = /^[\w-]+\.(html|eml)$/

/**
 * Development only (the routes exist outside production): the mails the
 * development transport wrote to tmp/mails/, newest first.
 */
export default class DevMailsController {
  /**
   * The list of mails.
   */
  async index({ view }: HttpContext) {
    const files = await readdir(mailsDirectory).catch(() => [] as string[])
    const mails = files
      .filter((file) => file.endsWith('.html') && MAIL_FILE.test(file))
      .sort()
      .reverse()
      .map((file) => ({ html: file, eml: file.replace(/\.html$/, '.eml') }))
    return view.render('pages/dev_mails', { mails })
  }

  /**
   * One mail file: the HTML part to view (sandboxed: its styles only), or
   * the whole message (.eml) as text.
   */
  async show(ctx: HttpContext) {
    const { params, response } = ctx
    const file = String(params.file)
    const content = MAIL_FILE.test(file)
      ? await readFile(join(mailsDirectory, file)).catch(() => null)
      : null
    if (content === null) {
      return respond(new errors.E_ROUTE_NOT_FOUND([ctx.request.method(), ctx.request.url()]), ctx)
    }
    if (file.endsWith('.html')) {
      response.header('content-type', 'text/html; charset=utf-8')
      response.header(
        'content-security-policy',
        "sandbox; default-src 'none'; style-src 'unsafe-inline'"
      )
    } else {
      response.header('content-type', 'text/plain; charset=utf-8')
    }
    return response.send(content)
  }
}
