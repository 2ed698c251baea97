import { test } from '@japa/runner'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Message } from '@adonisjs/mail'
import { FileTransport, mailFileName } from '#kit/runtime/src/mail/file_transport'
import { capturedLogger } from '#kit/testing'

test.group('Mail | the development file transport', () => {
  test('writes each mail as .eml and .html and logs the link to it', async ({ fs, assert }) => {
    const { logger, lines } = capturedLogger()
    const transport = new FileTransport({
      directory: join(fs.basePath, 'mails'),
      logger,
      pagesUrl: 'http://localhost:3333/dev/mails',
      now: () => new Date('2026-12-01T18:30:05.123Z'),
    })

    const message = new Message()
    message
      .from('kit@example.com')
      .to('someone@example.com')
      .subject('Verify your email address')
      .html('<p>Open <a href="http://x/verify">this</a></p>')
      .text('Open http://x/verify')
    await transport.send(message.toObject().message)

    const files = await readdir(join(fs.basePath, 'mails'))
    files.sort()
    const name = '20261201T183005-123Z-verify-your-email-address'
    assert.deepEqual(files, [`${name}.eml`, `${name}.html`])

    const eml = await readFile(join(fs.basePath, 'mails', `${name}.eml`), 'utf8')
    assert.include(eml, 'To: someone@example.com')
    assert.include(eml, 'Subject: Verify your email address')
    assert.include(eml, 'Open http://x/verify')
    assert.equal(
      await readFile(join(fs.basePath, 'mails', `${name}.html`), 'utf8'),
      '<p>Open <a href="http://x/verify">this</a></p>'
    )
    assert.include(lines[0].msg, `http://localhost:3333/dev/mails/${name}.html`)
  })

  test('file names sort by time and keep only safe characters', ({ assert }) => {
    const date = new Date('2026-01-02T03:04:05.006Z')
    assert.equal(mailFileName(date, '../../etc/passwd'), '20260102T030405-006Z-etc-passwd')
    assert.equal(mailFileName(date, undefined), '20260102T030405-006Z-mail')
    assert.equal(mailFileName(date, '¡¡¡'), '20260102T030405-006Z-mail')
  })
})
