import { test } from '@japa/runner'

/**
 * A wrong email or password, for each API format: the kit's negotiated
 * 400 body (like every other error), never a flash and a redirect, nor
 * the auth package's own body.
 */
test.group('Sign-in | E_INVALID_CREDENTIALS for API clients', () => {
  test('{accept}: a 400 body in that format, with the request id')
    .with([
      { accept: 'application/json', type: /^application\/json/ },
      { accept: 'application/vnd.api+json', type: /^application\/vnd\.api\+json/ },
      { accept: 'application/problem+json', type: /^application\/problem\+json/ },
    ])
    .run(async ({ client, assert }, { accept, type }) => {
      const response = await client
        .post('/login')
        .form({ email: 'nobody@example.com', password: 'not-the-password' })
        .header('accept', accept)
        .header('x-request-id', 'bad-credentials-1')
        .withCsrfToken()
        .redirects(0)

      response.assertStatus(400)
      assert.match(response.header('content-type')!, type)
      assert.notExists(response.header('location'))
      const text = response.text()
      assert.include(text, 'E_INVALID_CREDENTIALS')
      assert.include(text, 'Invalid user credentials')
      assert.include(text, 'bad-credentials-1')
      assert.notInclude(text, 'not-the-password')
      if (accept === 'application/problem+json') {
        assert.include(response.body(), { status: 400, title: 'Bad Request' })
      } else {
        assert.equal(Number(response.body().errors[0].status), 400)
      }
    })

  test('a browser still goes back to the form with the message', async ({ client, assert }) => {
    const response = await client
      .post('/login')
      .form({ email: 'nobody@example.com', password: 'not-the-password' })
      .accepting('html')
      .withCsrfToken()
      .redirects(0)

    response.assertStatus(302)
    response.assertHeader('location', '/login')
    assert.include(response.flashMessage('errorsBag').E_INVALID_CREDENTIALS, 'Invalid')
  })
})
