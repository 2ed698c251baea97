import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FileSystem } from '@japa/file-system'

const START_SCRIPT = fileURLToPath(new URL('../../../../bin/start.js', import.meta.url))
const NODE_VERSION_CHECK = fileURLToPath(
  new URL('../../../../bin/node_version.js', import.meta.url)
)

/**
 * A stand-in for the compiled server: prints where it runs from.
 */
const FAKE_SERVER = 'console.log(`server ${import.meta.url} in ${process.cwd()}`)\n'

/**
 * Copies "bin/start.js" (and the version check it imports) into `folder` (of the test's file system) and runs
 * it, as "npm start" does.
 */
async function npmStart(fs: FileSystem, folder: string) {
  await mkdir(join(fs.basePath, folder, 'bin'), { recursive: true })
  await copyFile(START_SCRIPT, join(fs.basePath, folder, 'bin/start.js'))
  await copyFile(NODE_VERSION_CHECK, join(fs.basePath, folder, 'bin/node_version.js'))
  return spawnSync(process.execPath, ['bin/start.js'], {
    cwd: join(fs.basePath, folder),
    env: { PATH: process.env.PATH! },
    encoding: 'utf8',
    timeout: 30_000,
  })
}

test.group('npm start', () => {
  test('in the project root with no build: says to build first and exits with 1', async ({
    fs,
    assert,
  }) => {
    await fs.create('package.json', '{"type":"module"}')
    const result = await npmStart(fs, '.')

    assert.equal(result.status, 1)
    assert.include(result.stderr, 'run "npm run build" first, then "npm start"')
    assert.equal(result.stdout, '')
  })

  test('in the project root once built: starts the build, from the build folder', async ({
    fs,
    assert,
  }) => {
    await fs.create('package.json', '{"type":"module"}')
    await fs.create('build/bin/server.js', FAKE_SERVER)
    const result = await npmStart(fs, '.')

    assert.equal(result.status, 0, result.stderr)
    assert.include(result.stdout, 'starting build/bin/server.js')
    assert.match(result.stdout, /server file:\/\/\S+\/build\/bin\/server\.js in \S+\/build\n/)
  })

  test('in the build: starts its bin/server.js', async ({ fs, assert }) => {
    await fs.create('build/package.json', '{"type":"module"}')
    await fs.create('build/bin/server.js', FAKE_SERVER)
    const result = await npmStart(fs, 'build')

    assert.equal(result.status, 0, result.stderr)
    assert.notInclude(result.stdout, 'starting build/bin/server.js')
    assert.match(result.stdout, /server file:\/\/\S+\/build\/bin\/server\.js in \S+\/build\n/)
  })
})
