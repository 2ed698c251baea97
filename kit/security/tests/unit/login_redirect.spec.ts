import { test } from '@japa/runner'
import { loginFormPath } from '#kit/sessions/src/login_redirect'

test.group('Login redirect | loginFormPath', () => {
  test('no next, or the home page: the bare form', ({ assert }) => {
    assert.equal(loginFormPath(''), '/login')
    assert.equal(loginFormPath('/'), '/login')
  })

  test('a next path travels encoded in the query string', ({ assert }) => {
    assert.equal(loginFormPath('/dashboard'), '/login?next=%2Fdashboard')
    assert.equal(loginFormPath('/orders?page=2&x=1'), '/login?next=%2Forders%3Fpage%3D2%26x%3D1')
  })
})
