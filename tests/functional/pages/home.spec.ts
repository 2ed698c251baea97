import { test } from '@japa/runner'

test.group('Pages | home', () => {
  test('renders the home page with its title', async ({ client }) => {
    const response = await client.get('/').header('accept', 'text/html')

    response.assertStatus(200)
    response.assertTextIncludes('<title>Home · AdonisJS starter kit</title>')
    response.assertTextIncludes('<h1>AdonisJS starter kit</h1>')
  })

  test('serves the stylesheet from public/', async ({ client, assert }) => {
    const response = await client.get('/css/app.css')

    response.assertStatus(200)
    assert.match(response.header('content-type') ?? '', /text\/css/)
  })

  test('answers an unknown route with 404', async ({ client }) => {
    const response = await client.get('/no/such/page').header('accept', 'text/html')
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
