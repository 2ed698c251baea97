import { test } from '@japa/runner'
import { existsSync } from 'node:fs'
import { readFile, rm, rmdir, writeFile } from 'node:fs/promises'
import { stripVTControlCharacters } from 'node:util'
import app from '@adonisjs/core/services/app'
import { freePort, runNode, type ProcessResult } from '#kit/testing'

/**
 * The folder (in app/exceptions and tests/unit/exceptions) the real CLI
 * writes to in these tests, removed after each test.
 */
const PROBE = `generator_probe_${process.pid}`

/**
 * Runs `node ace <args>` in the app.
 */
function ace(args: string[], env: Record<string, string> = {}) {
  return runNode(['ace.js', ...args], { env, timeoutMs: 90_000 })
}

test.group('make:exception | the real CLI', (group) => {
  const outputs: ProcessResult[] = []

  /**
   * "npm test" must leave the work tree as it found it: remove what the
   * CLI wrote, and the ".env" that "node ace" creates on a first run.
   */
  group.each.setup(() => {
    const hadEnv = existsSync(app.makePath('.env'))
    const hadSpecsFolder = existsSync(app.makePath('tests/unit/exceptions'))
    outputs.length = 0

    return async () => {
      await rm(app.makePath('app/exceptions', PROBE), { recursive: true, force: true })
      await rm(app.makePath('tests/unit/exceptions', PROBE), { recursive: true, force: true })
      if (!hadSpecsFolder) {
        await rmdir(app.makePath('tests/unit/exceptions')).catch(() => {})
      }
      const createdEnv = outputs.some(({ output }) => output.includes('[first run] created .env'))
      if (!hadEnv && createdEnv) {
        await rm(app.makePath('.env'), { force: true })
      }
    }
  })

  /**
   * Runs `node ace` and keeps its output for the cleanup.
   */
  async function run(args: string[], env: Record<string, string> = {}) {
    const result = await ace(args, env)
    outputs.push(result)
    return result
  }

  test('"list" shows one make:exception, ours, and --help documents every flag', async ({
    assert,
  }) => {
    const [list, help] = await Promise.all([run(['list']), run(['make:exception', '--help'])])

    assert.equal(list.exitCode, 0, list.output)
    const lines = list.output.split('\n').filter((line) => line.includes('make:exception'))
    assert.lengthOf(lines, 1)
    assert.match(lines[0], /make:exception\s+Create an exception class with its status/)

    assert.equal(help.exitCode, 0, help.output)
    for (const flag of [
      '--status[=STATUS]',
      '--code[=CODE]',
      '--message[=MESSAGE]',
      '--handle',
      '--report',
      '--test',
      '-f, --force',
    ]) {
      assert.include(help.output, flag)
    }
    assert.notInclude(help.output, '```')
    assert.match(help.output, /\n {4}node ace make:exception PaymentRequired --status=402\n/)
  }).timeout(120_000)

  test('bad input exits with 1, says what is wrong and writes nothing', async ({ assert }) => {
    const [unknownFlag, badStatus, badName, noName] = await Promise.all([
      run(['make:exception', `${PROBE}/Bad`, '--bogus']),
      run(['make:exception', `${PROBE}/Bad`, '--status=700']),
      run(['make:exception', '../x']),
      run(['make:exception']),
    ])

    /**
     * Ace's usage errors and the command's own look the same.
     */
    const errorLine = (output: string) => stripVTControlCharacters(output).trim()
    assert.equal(unknownFlag.exitCode, 1)
    assert.match(errorLine(unknownFlag.output), /^\[ error \] Unknown flag "--bogus"/)
    assert.equal(badStatus.exitCode, 1)
    assert.equal(
      errorLine(badStatus.output),
      '[ error ] Invalid --status "700": use an integer from 400 to 599'
    )
    assert.equal(badName.exitCode, 1)
    assert.match(errorLine(badName.output), /^\[ error \] Invalid name "\.\.\/x"/)
    assert.equal(noName.exitCode, 1)
    assert.equal(errorLine(noName.output), '[ error ] Missing required argument "name"')

    assert.isFalse(existsSync(app.makePath('app/exceptions', PROBE)))
    assert.isFalse(existsSync(app.makePath('app/x_exception.ts')))
    assert.isFalse(existsSync(app.makePath('app/exceptions/x_exception.ts')))
  })
    .timeout(120_000)
    .tags(['@slow'])

  test('the specs it writes run and pass, and fail when the exception changes', async ({
    assert,
  }) => {
    const made = await Promise.all([
      run([
        'make:exception',
        `${PROBE}/PaymentProbe`,
        '--status=402',
        '--code=E_PAYMENT_PROBE',
        `--message=It's "over"`,
        '--handle',
        '--report',
        '--test',
      ]),
      run(['make:exception', `${PROBE}/CrashProbe`, '--test']),
      run(['make:exception', `${PROBE}/TamperedProbe`, '--status=409', '--test']),
    ])
    for (const { exitCode, output } of made) {
      assert.equal(exitCode, 0, output)
    }
    assert.include(made[0].output, `create app/exceptions/${PROBE}/payment_probe_exception.ts`)
    assert.include(
      made[0].output,
      `create tests/unit/exceptions/${PROBE}/payment_probe_exception.spec.ts`
    )

    /**
     * The spec asserts the generated status: a class whose status changed
     * after generation must fail it.
     */
    const tampered = app.makePath('app/exceptions', PROBE, 'tampered_probe_exception.ts')
    const source = await readFile(tampered, 'utf8')
    assert.include(source, 'static status = 409\n')
    await writeFile(tampered, source.replace('static status = 409\n', 'static status = 418\n'))

    const database = `tmp/${PROBE}.sqlite3`
    try {
      const specs = ['payment_probe', 'crash_probe', 'tampered_probe'].map(
        (name) => `--files=tests/unit/exceptions/${PROBE}/${name}_exception.spec.ts`
      )
      const result = await run(['test', 'unit', ...specs], {
        PORT: String(await freePort()),
        DB_SQLITE_FILE: database,
      })

      assert.equal(result.exitCode, 1, result.output)
      assert.match(result.output, /Tests\s+4 passed, 1 failed \(5\)/)
      assert.match(result.output, /✔ answers problem\+json clients with an RFC 9457 body/)
      assert.match(result.output, /✔ shows browsers the status page/)
      assert.match(
        result.output,
        /TamperedProbeException[^\n]*\n\s*✖ responds with its status, code and message/
      )
      assert.include(result.output, 'expected 418 to equal 409')
    } finally {
      await Promise.all(
        ['', '-wal', '-shm', '-journal'].map((suffix) =>
          rm(app.makePath(database + suffix), { force: true })
        )
      )
    }
  })
    .timeout(180_000)
    .tags(['@slow'])
})
