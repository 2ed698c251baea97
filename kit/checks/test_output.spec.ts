import { spawn } from 'node:child_process'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { stripVTControlCharacters } from 'node:util'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'

/**
 * Spec files whose dataset titles used to print "[object Object]" or a
 * raw tab or line break.
 */
const DATASET_SPECS = [
  'kit/errors/tests/unit/handler.spec.ts',
  'kit/sessions/tests/unit/plain_http.spec.ts',
  'kit/security/tests/unit/safe_redirect.spec.ts',
]

/**
 * A spec with two titles that do not print: an object row read through
 * `{$self}`, and a string with a tab.
 */
const PROBE = `tests/unit/titles_probe_${process.pid}.spec.ts`
const PROBE_SOURCE = `import { test } from '@japa/runner'

test('probe {$self}')
  .with([{ status: 500 }, 'a\\tb'])
  .run(() => {})
`

/**
 * The flags "npm test" gives "node ace test" (the "test" script of
 * package.json).
 */
async function npmTestFlags() {
  const { scripts } = JSON.parse(await readFile(app.makePath('package.json'), 'utf8'))
  const [node, ace, command, ...rest] = scripts.test.split(' ')
  if (node !== 'node' || ace !== 'ace' || command !== 'test') {
    throw new Error(`The test script is not "node ace test ...": ${scripts.test}`)
  }
  return (rest as string[]).filter((argument) => argument.startsWith('--'))
}

/**
 * Runs "node ace test" with `args`, on a database of its own (this run
 * keeps tmp/test.sqlite3), and resolves with its exit code and output.
 */
function runTests(args: string[]): Promise<{ code: number | null; output: string }> {
  const database = `tmp/checks_${process.pid}.sqlite3`
  const env: NodeJS.ProcessEnv = { ...process.env, DB_SQLITE_FILE: database }
  delete env.PORT
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['ace.js', 'test', ...args], {
      cwd: app.makePath(),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })
}

test.group('Test output | what "npm test" prints', (group) => {
  group.each.teardown(async () => {
    await rm(app.makePath(PROBE), { force: true })
  })

  test('no clear-screen escape, no migrations notice, titles that print on one line', async ({
    assert,
  }) => {
    await writeFile(app.makePath(PROBE), PROBE_SOURCE)
    const files = [PROBE, ...DATASET_SPECS].flatMap((file) => ['--files', file])
    const { code, output } = await runTests([
      ...(await npmTestFlags()),
      'unit',
      'kit-unit',
      ...files,
    ])
    const text = stripVTControlCharacters(output)

    /**
     * The run starts with no escape that clears the terminal and says
     * nothing about Lucid's bookkeeping table.
     */
    assert.notInclude(output, '\x1Bc')
    assert.notInclude(text, 'Upgrading migrations version')

    /**
     * The specs with datasets print one line per row, saying what the
     * row is.
     */
    assert.include(text, 'reports a 500 at the guide level (50)')
    assert.include(text, 'localhost: no warning')
    assert.include(text, 'falls back to / for "/\\t/evil.example"')
    assert.include(text, 'falls back to / for "/\\n/evil.example"')

    /**
     * The probe's two titles fail the run, named with their file; no
     * other title does.
     */
    assert.equal(code, 1, text)
    assert.include(text, '2 test title(s) do not print on one line:')
    const faults = text.split('\n').filter((line) => line.includes(`(${PROBE}): `))
    assert.lengthOf(faults, 2, text)
    assert.include(faults[0], '"probe [object Object]"')
    assert.include(faults[1], '"probe a\\tb"')
    for (const file of DATASET_SPECS) {
      assert.notInclude(text, `(${file}): `)
    }
  }).timeout(180_000)
})
