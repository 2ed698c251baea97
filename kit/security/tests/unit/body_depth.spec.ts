import { test } from '@japa/runner'
import fc from 'fast-check'
import { jsonNestingExceeds, nestingExceeds } from '#kit/security/src/body_depth'

test.group('Body depth | JSON text', () => {
  test('counts objects and arrays inside each other, the outermost as level 1', ({ assert }) => {
    assert.isFalse(jsonNestingExceeds('{"a":[1,{"b":2}]}', 3))
    assert.isTrue(jsonNestingExceeds('{"a":[1,{"b":2}]}', 2))
    assert.isFalse(jsonNestingExceeds('[[],[],[],[]]', 2))
    assert.isFalse(jsonNestingExceeds('"a string"', 0))
  })

  test('brackets inside strings do not count, escaped quotes included', ({ assert }) => {
    assert.isFalse(jsonNestingExceeds(JSON.stringify({ a: '[[[[{{{{' }), 1))
    assert.isFalse(jsonNestingExceeds(JSON.stringify({ a: 'say \\"[[[[\\" \\\\', b: '[[[' }), 1))
    assert.isFalse(jsonNestingExceeds(JSON.stringify({ a: '\\', b: ['[['] }), 2))
    assert.isTrue(jsonNestingExceeds(JSON.stringify({ a: '\\', b: [['x']] }), 2))
  })

  test('agrees with the depth of the parsed value, for any JSON', () => {
    const text = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a') })
    fc.assert(
      fc.property(
        fc.letrec((tie) => ({
          value: fc.oneof(
            { depthSize: 'small', maxDepth: 10 },
            text,
            fc.double(),
            fc.constant(null),
            fc.array(tie('value'), { maxLength: 3 }),
            fc.dictionary(text, tie('value'), { maxKeys: 3 })
          ),
        })).value,
        fc.integer({ min: 0, max: 12 }),
        (value, maxDepth) =>
          jsonNestingExceeds(JSON.stringify(value), maxDepth) === nestingExceeds(value, maxDepth)
      ),
      { numRuns: 500 }
    )
  })

  test('a million opening brackets are refused at once, without parsing', ({ assert }) => {
    assert.isTrue(jsonNestingExceeds('['.repeat(1_000_000), 64))
  })

  test('an unterminated string ends the scan: the parser refuses it', ({ assert }) => {
    assert.isFalse(jsonNestingExceeds('{"a":"[[[[[[', 2))
  })
})

test.group('Body depth | parsed bodies', () => {
  test('plain objects and arrays count; other objects (files) are leaves', ({ assert }) => {
    class UploadedFile {
      nested = { deeper: { deepest: {} } }
    }
    assert.isFalse(nestingExceeds({ file: new UploadedFile() }, 1))
    assert.isFalse(nestingExceeds({ a: [{ b: null }] }, 3))
    assert.isTrue(nestingExceeds({ a: [{ b: {} }] }, 3))
    assert.isFalse(nestingExceeds(Object.assign(Object.create(null), { a: 1 }), 1))
    assert.isTrue(nestingExceeds(Object.assign(Object.create(null), { a: {} }), 1))
  })

  test('a chain 50,000 levels deep is walked without recursion', ({ assert }) => {
    let value: Record<string, unknown> = {}
    for (let level = 0; level < 50_000; level++) {
      value = { x: value }
    }
    assert.isTrue(nestingExceeds(value, 64))
    assert.isFalse(nestingExceeds(value, 200_000))
  })
})
