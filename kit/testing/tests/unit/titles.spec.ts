import { test } from '@japa/runner'
import { printable, printableRows, titleFault } from '#kit/testing/titles'

test.group('Testing | printable test titles', () => {
  test('a string that prints is kept; one with a control character is JSON-quoted', ({
    assert,
  }) => {
    assert.equal(printable('//evil.example'), '//evil.example')
    assert.equal(printable('/\t/evil.example'), '"/\\t/evil.example"')
    assert.equal(printable('/\n/evil.example'), '"/\\n/evil.example"')
    assert.equal(printable('\u001b[31m'), '"\\u001b[31m"')
    assert.equal(printable('a\u007fb'), '"a\\u007fb"')
    for (const value of ['/\t/a', '\r\n', '\u0000', 'a\u007fb']) {
      assert.isUndefined(titleFault(printable(value)), value)
    }
  })

  test('printableRows keeps each value as it is, next to its printable form', ({ assert }) => {
    assert.deepEqual(printableRows(['/a', '/\t/b']), [
      { value: '/a', printed: '/a' },
      { value: '/\t/b', printed: '"/\\t/b"' },
    ])
  })

  test('titleFault names control characters and an object row read as text, and nothing else', ({
    assert,
  }) => {
    assert.isUndefined(titleFault('falls back to / for "/\\t/evil.example"'))
    assert.isUndefined(titleFault('reports a 500 at the guide level (50)'))
    assert.include(titleFault('falls back to / for /\t/evil.example'), 'control character')
    assert.include(titleFault('login with next=/\n/evil.example'), 'control character')
    assert.include(titleFault('reports [object Object] at the guide level'), '[object Object]')
  })
})
