import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'
import { csrfTokenOf, printableRows, withFormCookies } from '#kit/testing'

const HOSTILE = printableRows([
  '//evil.example',
  '/\\evil.example',
  '/%2F%2Fevil.example',
  'https:evil.example',
  'https://evil.example',
  'javascript:alert(1)',
  '/\t/evil.example',
  '/\n/evil.example',
  '/.//evil.example',
  '/..//evil.example',
  '/a/..//evil.example',
  '/%2e//evil.example',
  '/a/%2e%2e//evil.example',
  '/./%2Fevil.example',
  '/.//evil.example/x?y=1#z',
])

test.group('Session | safe redirects', (group) => {
  group.each.setup(async () => {
    await db.from('sessions').delete()
  })

  test('login with next={printed} lands on /')
    .with(HOSTILE)
    .run(async ({ client }, { value: next }) => {
      const form = await client.get('/login')
      const csrf = csrfTokenOf(form.text())

      const response = await withFormCookies(
        client
          .post('/login')
          .form({ email: 'demo@example.com', password: DEMO_PASSWORD, _csrf: csrf, next })
          .redirects(0),
        form
      )

      response.assertStatus(302)
      response.assertHeader('location', '/')
    })

  test('the login form renders no hidden next for next={printed}')
    .with(HOSTILE)
    .run(async ({ assert, client }, { value: next }) => {
      const form = await client.get(`/login?next=${encodeURIComponent(next)}`)

      form.assertStatus(200)
      assert.notMatch(form.text(), /name="next"/)
      assert.notInclude(form.text(), 'evil.example')
    })

  test('login with a same-site next goes there', async ({ client }) => {
    const form = await client.get('/login?next=%2Fbilling')
    form.assertTextIncludes('name="next" value="/billing"')
    const csrf = csrfTokenOf(form.text())

    const response = await withFormCookies(
      client
        .post('/login')
        .form({ email: 'demo@example.com', password: DEMO_PASSWORD, _csrf: csrf, next: '/billing' })
        .redirects(0),
      form
    )

    response.assertHeader('location', '/billing')
  })

  test('redirect back with Referer {$self} lands on /')
    .with([
      'https://evil.example//evil.example/x',
      'http://localhost//evil.example/x',
      'http://localhost/%2F%2Fevil.example',
    ])
    .run(async ({ client }, referer) => {
      const response = await client
        .post('/login')
        .form({ email: 'x', password: 'y' })
        .header('referer', referer)
        .header('host', 'localhost')
        .redirects(0)

      response.assertStatus(302)
      response.assertHeader('location', '/')
    })
})
