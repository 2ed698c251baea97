import { gunzipSync, brotliDecompressSync, inflateSync } from 'node:zlib'
import { test } from '@japa/runner'
import { bodyFaultError } from '#kit/errors/src/body_fault'

/**
 * The error a zlib call throws on `input`.
 */
function zlibError(decompress: (input: Buffer) => Buffer, input: Buffer): unknown {
  try {
    decompress(input)
  } catch (error) {
    return error
  }
  throw new Error('the input decompressed')
}

test.group('Errors | bodyFaultError', () => {
  test('a body that does not decompress is a 400: {name}')
    .with([
      { name: 'not gzip', error: () => zlibError(gunzipSync, Buffer.from('{"a":1}')) },
      { name: 'not deflate', error: () => zlibError(inflateSync, Buffer.from('{"a":1}')) },
      { name: 'not brotli', error: () => zlibError(brotliDecompressSync, Buffer.from('{"a":1}')) },
      {
        name: 'cut short',
        error: () => zlibError(gunzipSync, Buffer.from([0x1f, 0x8b, 0x08, 0x00])),
      },
    ])
    .run(({ assert }, { error }) => {
      const fault = bodyFaultError(error())
      assert.equal(fault?.status, 400)
      assert.equal(fault?.code, 'E_BAD_BODY_ENCODING')
    })

  test('an unknown Content-Encoding is a 415 whose message does not repeat it', ({ assert }) => {
    const thrown = Object.assign(new Error('Unsupported Content-Encoding: <b>x-evil</b>'), {
      status: 415,
    })
    const fault = bodyFaultError(thrown)
    assert.equal(fault?.status, 415)
    assert.equal(fault?.code, 'E_ENCODING_UNSUPPORTED')
    assert.notInclude(fault!.message, 'x-evil')
  })

  test('other errors are left alone: {name}')
    .with([
      {
        name: 'zlib out of memory',
        error: Object.assign(new Error('oom'), { code: 'Z_MEM_ERROR', errno: -4 }),
      },
      {
        name: 'a code without errno',
        error: Object.assign(new Error('x'), { code: 'Z_DATA_ERROR' }),
      },
      {
        name: 'a 415 of another kind',
        error: Object.assign(new Error('Unsupported charset'), { status: 415 }),
      },
      { name: 'a plain error', error: new Error('boom') },
      { name: 'a string', error: 'Z_DATA_ERROR' },
    ])
    .run(({ assert }, { error }) => {
      assert.isUndefined(bodyFaultError(error))
    })
})
