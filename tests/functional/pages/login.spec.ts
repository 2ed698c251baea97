import { test } from '@japa/runner'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'
import { csrfTokenOf, SESSION_COOKIE, withFormCookies } from '#kit/testing'

test.group('Pages | login', () => {
  test('renders the form with a CSRF field', async ({ client }) => {
    const response = await client.get('/login')

    response.assertStatus(200)
    response.assertTextIncludes('<h1>Sign in</h1>')
    response.assertTextIncludes("name='_csrf'")
  })

  test('shows the demo accounts only in development', async ({ client, assert }) => {
    const response = await client.get('/login')
    assert.notInclude(response.text(), 'demo@example.com')
  })

  test('refuses a form posted without the CSRF token', async ({ client }) => {
    const response = await client
      .post('/login')
      .form({ email: 'demo@example.com', password: DEMO_PASSWORD })
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', '/')
  })

  test('a stale CSRF token brings the form back with a message and the email kept', async ({
    client,
    assert,
  }) => {
    const form = await client.get('/login')

    const post = await withFormCookies(
      client
        .post('/login')
        .form({ email: 'stale@example.com', password: 'typed-secret-123', _csrf: 'stale-token' })
        .header('referer', '/login')
        .redirects(0),
      form
    )

    post.assertStatus(302)
    post.assertHeader('location', '/login')

    const page = await client.get('/login').as(post.cookie(SESSION_COOKIE)!.value)

    page.assertStatus(200)
    assert.match(page.text(), /<p class="alert" role="alert">[^<]*form had expired/)
    assert.include(page.text(), 'value="stale@example.com"')
    assert.notInclude(page.text(), 'typed-secret-123')
  })

  test('a wrong password redirects back with an error', async ({ client, assert }) => {
    const response = await client
      .post('/login')
      .form({ email: 'demo@example.com', password: 'not-the-password' })
      .header('referer', '/login')
      .withCsrfToken()
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', '/login')
    assert.property(response.flashMessages(), 'errorsBag')
    assert.include(response.flashMessage('errorsBag').E_INVALID_CREDENTIALS, 'Invalid')
  })

  test('the form shows a wrong password once, with the email kept', async ({ client, assert }) => {
    const form = await client.get('/login')

    const post = await withFormCookies(
      client
        .post('/login')
        .form({
          email: 'demo@example.com',
          password: 'typed-secret-123',
          _csrf: csrfTokenOf(form.text()),
        })
        .header('referer', '/login')
        .redirects(0),
      form
    )
    post.assertHeader('location', '/login')

    const page = await client.get('/login').as(post.cookie(SESSION_COOKIE)!.value)

    assert.lengthOf(page.text().match(/role="alert"/g) ?? [], 1)
    assert.include(page.text(), 'Invalid user credentials')
    assert.include(page.text(), 'value="demo@example.com"')
    assert.notInclude(page.text(), 'typed-secret-123')
  })

  test('an invalid email redirects back with the field error and the email kept', async ({
    client,
    assert,
  }) => {
    const response = await client
      .post('/login')
      .form({ email: 'not-an-email', password: 'x' })
      .header('referer', '/login')
      .withCsrfToken()
      .redirects(0)

    response.assertStatus(302)
    assert.property(response.flashMessage('inputErrorsBag'), 'email')
    assert.equal(response.flashMessage('email'), 'not-an-email')
  })

  test('a wrong password without a Referer goes back to the form, email kept, password not', async ({
    client,
    assert,
  }) => {
    const response = await client
      .post('/login')
      .form({ email: 'demo@example.com', password: 'not-the-password' })
      .withCsrfToken()
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', '/login')
    assert.include(response.flashMessage('errorsBag').E_INVALID_CREDENTIALS, 'Invalid')
    assert.equal(response.flashMessage('email'), 'demo@example.com')
    assert.notProperty(response.flashMessages(), 'password')
  })

  test('a failed sign-in goes back to the form whatever the Referer: {$self}')
    .with(['/dashboard', 'https://evil.example/login', '/'])
    .run(async ({ client }, referer) => {
      const response = await client
        .post('/login')
        .form({ email: 'demo@example.com', password: 'not-the-password' })
        .header('referer', referer)
        .withCsrfToken()
        .redirects(0)

      response.assertStatus(302)
      response.assertHeader('location', '/login')
    })

  test('an invalid form without a Referer goes back to the form too', async ({
    client,
    assert,
  }) => {
    const response = await client
      .post('/login')
      .form({ email: 'not-an-email', password: '' })
      .withCsrfToken()
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', '/login')
    assert.property(response.flashMessage('inputErrorsBag'), 'email')
    assert.equal(response.flashMessage('email'), 'not-an-email')
    assert.notProperty(response.flashMessages(), 'password')
  })

  test('a failed sign-in keeps where to go after it (next)', async ({ client }) => {
    const response = await client
      .post('/login')
      .form({ email: 'demo@example.com', password: 'not-the-password', next: '/billing' })
      .header('referer', '/login?next=%2Fdashboard')
      .withCsrfToken()
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', '/login?next=%2Fbilling')
  })

  test('the form shown again has the error and the typed email, not the password', async ({
    client,
    assert,
  }) => {
    const form = await client.get('/login?next=%2Fdashboard')
    const failed = await withFormCookies(
      client
        .post('/login')
        .form({
          email: 'demo@example.com',
          password: 'not-the-password',
          next: '/dashboard',
          _csrf: csrfTokenOf(form.text()),
        })
        .redirects(0),
      form
    )

    const again = await client
      .get(failed.header('location')!)
      .withCookie('adonis-session', failed.cookie('adonis-session')!.value)

    again.assertStatus(200)
    again.assertTextIncludes('Invalid user credentials')
    again.assertTextIncludes('value="demo@example.com"')
    again.assertTextIncludes('name="next" value="/dashboard"')
    assert.notInclude(again.text(), 'not-the-password')
  })

  test('API clients still get the error itself', async ({ client }) => {
    const response = await client
      .post('/login')
      .accepting('json')
      .form({ email: 'demo@example.com', password: 'not-the-password' })
      .withCsrfToken()
      .redirects(0)

    response.assertStatus(400)
    response.assertBodyContains({ errors: [{ message: 'Invalid user credentials' }] })
  })

  test('the right password signs in; the next request knows the user', async ({ client }) => {
    const form = await client.get('/login')
    const token = csrfTokenOf(form.text())

    const login = await withFormCookies(
      client
        .post('/login')
        .form({ email: 'demo@example.com', password: DEMO_PASSWORD, _csrf: token })
        .redirects(0),
      form
    )

    login.assertStatus(302)
    login.assertHeader('location', '/')

    const home = await client
      .get('/')
      .withCookie('adonis-session', login.cookie('adonis-session')!.value)

    home.assertStatus(200)
    home.assertTextIncludes('Signed in as demo@example.com')
  })

  test('signed-in users are sent away from the login page', async ({ client }) => {
    const response = await client
      .get('/login')
      .loginAs(await findDemoUser())
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', '/')
  })

  test('logout signs the user out', async ({ client }) => {
    const response = await client
      .post('/logout')
      .loginAs(await findDemoUser())
      .withCsrfToken()
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', '/login')
    response.assertFlashMessage('notice', 'You have been signed out.')
  })
})

async function findDemoUser() {
  const { default: User } = await import('#models/user')
  return User.findByOrFail('email', 'demo@example.com')
}
