import { test } from '@japa/runner'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { ESLint } from 'eslint'
import * as prettier from 'prettier'
import app from '@adonisjs/core/services/app'
import MakeException from '#kit/generators/src/make_exception'
import { createKernel, runNode } from '#kit/testing'

/**
 * Every combination of --handle, --report and --test, for a 4xx and a 5xx
 * status, with and without --code and --message, plus the inputs that
 * change the layout (long and quoted strings, nested folders, the longest
 * name).
 */
function combinations(): string[][] {
  const runs: string[][] = []
  for (const status of ['402', '503']) {
    for (let mask = 0; mask < 8; mask++) {
      const flags = [`--status=${status}`]
      if (mask & 1) flags.push('--handle')
      if (mask & 2) flags.push('--report')
      if (mask & 4) flags.push('--test')
      if (mask % 2 === 0) flags.push(`--code=E_COMBO_${status}_${mask}`, '--message=Try again')
      runs.push([`combos/status${status}/Combo${String.fromCharCode(65 + mask)}`, ...flags])
    }
  }

  const everything = ['--handle', '--report', '--test']
  runs.push(
    ['edge/LongMessage', `--message=${'A very long message '.repeat(6)}`, ...everything],
    ['edge/Quotes', `--message=It's "quoted", with a \\ and a\nnew line`, ...everything],
    ['edge/DoubleQuotes', `--message=Say "hello"`, ...everything],
    ['edge/LongCode', `--code=E_${'LONG_'.repeat(18)}CODE`, '--status=404', ...everything],
    ['edge/deeply/nested/folders/Nested', '--status=401', ...everything],
    ['edge/Teapot', '--status=418', ...everything],
    [`edge/${'L'.repeat(55)}`, '--status=429', ...everything]
  )
  return runs
}

/**
 * All the files under a folder.
 */
async function filesIn(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
}

/**
 * A file that fails each check, to prove that the checks can fail.
 */
const CONTROL_FILE = 'app/control/unformatted.ts'
const CONTROL_CONTENTS = "export const broken : number = 'not a number';\n"

test.group('make:exception | generated code', (group) => {
  let root: string

  group.each.setup(async () => {
    /**
     * Inside the project (its "tmp" folder, ignored by git and ESLint's
     * config) so that packages and "#" imports resolve as in the app.
     */
    await mkdir(app.makePath('tmp'), { recursive: true })
    root = await mkdtemp(app.makePath('tmp', 'make_exception_check_'))
    return () => rm(root, { recursive: true, force: true })
  })

  test('every flag combination is type-correct, lint-clean and Prettier-formatted', async ({
    assert,
  }) => {
    const runs = combinations()
    for (const argv of runs) {
      const ace = await createKernel(pathToFileURL(`${root}/`))
      const command = await ace.create(MakeException, argv)
      await command.exec()
      command.assertSucceeded()
    }
    await mkdir(join(root, 'app/control'), { recursive: true })
    await writeFile(join(root, CONTROL_FILE), CONTROL_CONTENTS)

    const files = await filesIn(root)
    const generated = files.filter((file) => !file.endsWith(CONTROL_FILE))
    const specs = generated.filter((file) => file.endsWith('.spec.ts'))
    assert.lengthOf(generated, runs.length + specs.length)
    assert.lengthOf(specs, 8 + 7)

    /**
     * TypeScript: one run over the generated files and the app, with
     * "#exceptions/*" pointing to the generated classes first.
     */
    const projectRoot = relative(root, app.makePath()) || '.'
    await writeFile(
      join(root, 'tsconfig.json'),
      JSON.stringify({
        extends: `${projectRoot}/tsconfig.json`,
        compilerOptions: {
          noEmit: true,
          rootDir: projectRoot,
          paths: {
            '#exceptions/*': ['./app/exceptions/*.js', `${projectRoot}/app/exceptions/*.js`],
          },
        },
        include: [
          './**/*.ts',
          `${projectRoot}/adonisrc.ts`,
          `${projectRoot}/app/**/*.ts`,
          `${projectRoot}/config/**/*.ts`,
          `${projectRoot}/start/**/*.ts`,
          `${projectRoot}/tests/bootstrap.ts`,
        ],
      })
    )
    const tsc = await runNode(
      [app.makePath('node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')],
      { timeoutMs: 100_000 }
    )
    const filesWithErrors = new Set(
      [...tsc.output.matchAll(/^(\S+?)\(\d+,\d+\): error/gm)].map((match) => app.makePath(match[1]))
    )
    assert.deepEqual([...filesWithErrors], [join(root, CONTROL_FILE)], tsc.output)

    /**
     * ESLint with the app's config, each file linted as if it were at its
     * place in the app (the config's rules do not apply under "tmp").
     */
    const eslint = new ESLint({ cwd: app.makePath() })
    for (const file of [...generated, join(root, CONTROL_FILE)]) {
      const [result] = await eslint.lintText(await readFile(file, 'utf8'), {
        filePath: app.makePath(relative(root, file)),
      })
      const messages = result.messages.map((message) => `${message.ruleId}: ${message.message}`)
      if (file.endsWith(CONTROL_FILE)) {
        assert.include(messages.join('\n'), 'prettier/prettier')
      } else {
        assert.deepEqual(messages, [], relative(root, file))
      }
    }

    /**
     * Prettier with the app's config.
     */
    const options = await prettier.resolveConfig(app.makePath('package.json'))
    for (const file of [...generated, join(root, CONTROL_FILE)]) {
      const formatted = await prettier.check(await readFile(file, 'utf8'), {
        ...options,
        filepath: file,
      })
      assert.equal(formatted, !file.endsWith(CONTROL_FILE), relative(root, file))
    }
  })
    .timeout(120_000)
    .tags(['@slow'])
})
