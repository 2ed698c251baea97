import { test } from '@japa/runner'
import { rebaseSessionData } from '#kit/sessions/src/session_changes'

const FLASH = '__flash__'

test.group('Session | merging the changes of overlapping requests', () => {
  test('keys the request left alone keep what the other request stored', ({ assert }) => {
    const base = { auth_web: 1, visits: 1, theme: 'dark' }
    const mine = { auth_web: 1, visits: 1, theme: 'light' }
    const theirs = { auth_web: 1, visits: 2, theme: 'dark', cart: [1] }

    assert.deepEqual(rebaseSessionData(base, mine, theirs, FLASH), {
      auth_web: 1,
      visits: 2,
      theme: 'light',
      cart: [1],
    })
  })

  test('where both requests changed a key, the later commit (this one) wins; a removal too', ({
    assert,
  }) => {
    const base = { a: 1, b: 1 }
    const mine = { a: 3 }
    const theirs = { a: 2, b: 2 }

    assert.deepEqual(rebaseSessionData(base, mine, theirs, FLASH), { a: 3 })
  })

  test('nested values compare by content, not identity', ({ assert }) => {
    const base = { claims: { role: { value: 'user', fetchedAt: 1 } } }
    const mine = { claims: { role: { value: 'user', fetchedAt: 1 } } }
    const theirs = { claims: { role: { value: 'admin', fetchedAt: 2 } } }

    assert.deepEqual(rebaseSessionData(base, mine, theirs, FLASH), theirs)
  })

  test('flash messages of both requests are kept, message by message', ({ assert }) => {
    const base = {}
    const mine = { [FLASH]: { notice: 'We sent a link', shared: 'mine' } }
    const theirs = { [FLASH]: { error: 'Try again', shared: 'theirs' } }

    assert.deepEqual(rebaseSessionData(base, mine, theirs, FLASH), {
      [FLASH]: { error: 'Try again', notice: 'We sent a link', shared: 'mine' },
    })
  })

  test('reading the flash messages removes them, but not those flashed since', ({ assert }) => {
    const base = { [FLASH]: { notice: 'old' } }
    const readIt = {}

    assert.deepEqual(
      rebaseSessionData(base, readIt, { [FLASH]: { notice: 'old' }, other: 1 }, FLASH),
      { other: 1 },
      'the other request left the old messages: they are gone'
    )
    assert.deepEqual(
      rebaseSessionData(base, readIt, { [FLASH]: { error: 'new' } }, FLASH),
      { [FLASH]: { error: 'new' } },
      'the other request flashed a new message: it stays'
    )
  })

  test('the inputs are not changed', ({ assert }) => {
    const base = { a: 1 }
    const mine = { a: 2 }
    const theirs = { a: 1, b: 1 }

    rebaseSessionData(base, mine, theirs, FLASH)

    assert.deepEqual([base, mine, theirs], [{ a: 1 }, { a: 2 }, { a: 1, b: 1 }])
  })
})
