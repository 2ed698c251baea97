import { test } from '@japa/runner'

/**
 * The links of a part of a page to a path.
 */
function linksTo(html: string, path: string) {
  return html.split(`href="${path}"`).length - 1
}

/**
 * The header and the main part of a page.
 */
function partsOf(html: string) {
  const [header, main] = html.split('<main')
  return { header, main }
}

test.group('Pages | home', () => {
  test('renders the home page with its title', async ({ client }) => {
    const response = await client.get('/').accepting('html')

    response.assertStatus(200)
    response.assertTextIncludes('<title>Home · AdonisJS starter kit</title>')
    response.assertTextIncludes('<h1>AdonisJS starter kit</h1>')
  })

  test('signed out: one Sign in link in the page, one in the header', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/').accepting('html')

    const { header, main } = partsOf(response.text())
    assert.equal(linksTo(main, '/login'), 1)
    assert.equal(linksTo(header, '/login'), 1)
    assert.equal(response.text().match(/>Sign in</g)?.length, 2)
  })

  test('signed in: no Sign in link, a link to the dashboard instead', async ({
    client,
    assert,
  }) => {
    const { default: User } = await import('#models/user')
    const user = await User.findByOrFail('email', 'demo@example.com')

    const response = await client.get('/').accepting('html').loginAs(user)

    response.assertStatus(200)
    response.assertTextIncludes('Signed in as demo@example.com')
    assert.equal(linksTo(response.text(), '/login'), 0)
    assert.notMatch(response.text(), />Sign in</)
    assert.equal(linksTo(partsOf(response.text()).main, '/dashboard'), 1)
  })

  test('serves the stylesheet from public/', async ({ client, assert }) => {
    const response = await client.get('/css/app.css')

    response.assertStatus(200)
    assert.match(response.header('content-type') ?? '', /text\/css/)
  })

  test('answers an unknown route with 404', async ({ client }) => {
    const response = await client.get('/no/such/page').accepting('html')
    response.assertStatus(404)
  })

  test('sends an x-request-id header on {$self}')
    .with(['/', '/login', '/no/such/page', '/css/app.css'])
    .run(async ({ client, assert }, url) => {
      const response = await client.get(url)
      assert.match(response.header('x-request-id') ?? '', /^[\w-]{10,}$/)
    })

  test('echoes an incoming x-request-id', async ({ client }) => {
    const response = await client.get('/').header('x-request-id', 'trace-abc-123')
    response.assertHeader('x-request-id', 'trace-abc-123')
  })
})
