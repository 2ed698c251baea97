import { test } from '@japa/runner'
import { existsSync } from 'node:fs'
import { mkdir, rm, rmdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { mailsDirectory } from '#config/mail'

const NAME = `20991231T235959-999Z-probe-${process.pid}`

test.group('Accounts | /dev/mails (outside production)', (group) => {
  /**
   * The test writes one mail of its own into tmp/mails/ and removes it
   * (and the folder, when it made it): the run leaves no file behind.
   */
  group.each.setup(async () => {
    const hadFolder = existsSync(mailsDirectory)
    await mkdir(mailsDirectory, { recursive: true })
    await writeFile(join(mailsDirectory, `${NAME}.html`), '<p>Hello <b>there</b></p>')
    await writeFile(join(mailsDirectory, `${NAME}.eml`), 'Subject: Hello\n\nHello there\n')
    return async () => {
      await rm(join(mailsDirectory, `${NAME}.html`), { force: true })
      await rm(join(mailsDirectory, `${NAME}.eml`), { force: true })
      if (!hadFolder) {
        await rmdir(mailsDirectory).catch(() => {})
      }
    }
  })

  test('lists the mails, newest first, with both files', async ({ client, assert }) => {
    const response = await client.get('/dev/mails').accepting('html')

    response.assertStatus(200)
    const html = response.text()
    assert.include(html, `href="/dev/mails/${NAME}.html"`)
    assert.include(html, `href="/dev/mails/${NAME}.eml"`)
    assert.isBelow(html.indexOf(NAME), html.lastIndexOf('.html"'))
  })

  test('opens a mail: the HTML sandboxed, the .eml as text', async ({ client, assert }) => {
    const html = await client.get(`/dev/mails/${NAME}.html`)
    html.assertStatus(200)
    assert.equal(html.text(), '<p>Hello <b>there</b></p>')
    assert.include(html.header('content-security-policy'), 'sandbox')

    const eml = await client.get(`/dev/mails/${NAME}.eml`)
    eml.assertStatus(200)
    assert.match(eml.header('content-type') ?? '', /^text\/plain/)
    assert.include(eml.text(), 'Hello there')
  })

  test('refuses paths and unknown files', async ({ client }) => {
    for (const path of [
      '/dev/mails/..%2F..%2Fpackage.json',
      '/dev/mails/nope.html',
      '/dev/mails/x.txt',
    ]) {
      const response = await client.get(path)
      response.assertStatus(404)
    }
  })
})
