import { test } from '@japa/runner'
import { useDefaultWidthWithoutTerminal } from '#kit/runtime/src/console_width'

const pipe = { isTTY: undefined }
const terminal = { isTTY: true }

test.group('Console width without a terminal', () => {
  test('output to pipes gets 80x24, so that nothing spawns tput', ({ assert }) => {
    const env: NodeJS.ProcessEnv = {}
    useDefaultWidthWithoutTerminal({ stdout: pipe, stderr: pipe }, env)
    assert.deepEqual(env, { COLUMNS: '80', LINES: '24' })
  })

  test('a terminal on stdout or stderr is left to report its own size', ({ assert }) => {
    for (const streams of [
      { stdout: terminal, stderr: pipe },
      { stdout: pipe, stderr: terminal },
    ]) {
      const env: NodeJS.ProcessEnv = {}
      useDefaultWidthWithoutTerminal(streams, env)
      assert.deepEqual(env, {})
    }
  })

  test('a width the environment gives is kept', ({ assert }) => {
    const both: NodeJS.ProcessEnv = { COLUMNS: '132', LINES: '50' }
    useDefaultWidthWithoutTerminal({ stdout: pipe, stderr: pipe }, both)
    assert.deepEqual(both, { COLUMNS: '132', LINES: '50' })

    const columnsOnly: NodeJS.ProcessEnv = { COLUMNS: '132' }
    useDefaultWidthWithoutTerminal({ stdout: pipe, stderr: pipe }, columnsOnly)
    assert.deepEqual(columnsOnly, { COLUMNS: '132', LINES: '24' })
  })
})
