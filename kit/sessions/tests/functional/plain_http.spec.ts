import { test } from '@japa/runner'
import { AppProcess } from '#kit/testing/app_process'
import { openServerForm, postServerForm } from '#tests/helpers/server_forms'

const WARNING = /APP_URL is http:\/\/app\.example\.com: over plain HTTP browsers do not keep/

/**
 * Signs in as a browser on plain HTTP does: it gets the login form, but
 * drops the Secure cookies the page set, so the form goes back without
 * them.
 */
async function signInWithoutCookies(server: AppProcess) {
  const form = await openServerForm(server, '/login')
  return postServerForm(
    server,
    '/login',
    { email: 'demo@example.com', password: 'password' },
    { ...form, cookie: '' }
  )
}

test.group('Plain HTTP | production reached over http://', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start({ APP_URL: 'http://app.example.com' })
    return async () => {
      await server.stop()
    }
  })

  test('the server warns as it starts, naming APP_URL and what to do', async ({ assert }) => {
    const line = await server.waitForOutput(WARNING)
    const entry = JSON.parse(line)
    assert.equal(entry.level, 40)
    assert.include(entry.msg, 'set APP_URL=https://app.example.com')
  })

  test('a sign-in without the Secure cookies lands on a login page that says why', async ({
    assert,
  }) => {
    const since = server.output.length
    const response = await signInWithoutCookies(server)
    assert.equal(response.status, 303)
    assert.equal(response.headers.get('location'), '/login?reason=plain_http')

    const page = await server.fetch('/login?reason=plain_http', {
      headers: { accept: 'text/html' },
    })
    const html = await page.text()
    assert.include(html, 'This site was opened over plain HTTP (http://)')
    assert.include(html, 'Open it with https:// instead.')

    const line = await server.waitForOutput(/failed its CSRF check over plain HTTP/, 10_000, since)
    assert.equal(JSON.parse(line).level, 40)
  })

  test('a client that keeps the cookies signs in as usual', async ({ assert }) => {
    const form = await openServerForm(server, '/login')
    const response = await postServerForm(
      server,
      '/login',
      { email: 'demo@example.com', password: 'password' },
      form
    )
    assert.equal(response.status, 302)
    assert.equal(response.headers.get('location'), '/')
  })

  test('an API client without the cookies gets the CSRF error in its format', async ({
    assert,
  }) => {
    const form = await openServerForm(server, '/login')
    const response = await postServerForm(
      server,
      '/login',
      { email: 'demo@example.com', password: 'password' },
      { ...form, cookie: '' },
      'application/json'
    )
    assert.equal(response.status, 403)
    const body: any = await response.json()
    assert.equal(body.errors[0].code, 'E_BAD_CSRF_TOKEN')
  })
})

test.group('Plain HTTP | TLS ends at a proxy (TLS_TERMINATED_AT_PROXY=true)', (group) => {
  let server: AppProcess
  group.setup(async () => {
    server = await AppProcess.start({
      APP_URL: 'http://app.example.com',
      TLS_TERMINATED_AT_PROXY: 'true',
    })
    return async () => {
      await server.stop()
    }
  })

  test('no warning, and a failed CSRF check is answered as usual', async ({ assert }) => {
    const response = await signInWithoutCookies(server)
    assert.equal(response.status, 302)
    assert.notInclude(response.headers.get('location') ?? '', 'plain_http')
    assert.notMatch(server.output, WARNING)
  })
})
