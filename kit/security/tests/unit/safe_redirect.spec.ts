import { test } from '@japa/runner'
import { printableRows } from '#kit/testing'
import { safeRedirectPath } from '#kit/security/src/safe_redirect'

test.group('Security | safeRedirectPath', () => {
  test('keeps same-site path {$self}')
    .with(['/', '/dashboard', '/orders?page=2', '/a/b#c', '/search?q=%2F%2Fnot-a-host'])
    .run(({ assert }, path) => {
      assert.equal(safeRedirectPath(path), path)
    })

  test('falls back to / for {printed}')
    .with(
      printableRows([
        '//evil.example',
        '/\\evil.example',
        '\\\\evil.example',
        '/%2F%2Fevil.example',
        '/%2f%2fevil.example',
        '/%5Cevil.example',
        'https:evil.example',
        'https://evil.example/x',
        'javascript:alert(1)',
        'JAVASCRIPT:alert(1)',
        '/\t/evil.example',
        '/\n/evil.example',
        '/%09/evil.example',
        '/%0a/evil.example',
        'dashboard',
        '',
        '%',
        '/%E0%A4%A',
        ' /dashboard',
        '/.//evil.example',
        '/..//evil.example',
        '/a/..//evil.example',
        '/%2e//evil.example',
        '/%2e%2e//evil.example',
        '/a/%2e%2e//evil.example',
        '/./%2Fevil.example',
        '/../\\evil.example',
      ])
    )
    .run(({ assert }, { value: target }) => {
      assert.equal(safeRedirectPath(target), '/')
    })

  test('non-strings fall back', ({ assert }) => {
    assert.equal(safeRedirectPath(undefined), '/')
    assert.equal(safeRedirectPath(['/a']), '/')
    assert.equal(safeRedirectPath({ path: '/a' }), '/')
  })
})
