import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import { generateAppKey } from '#kit/runtime/src/first_run/app_key'

const APP_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/**
 * Runs `node <args>` from the app root in production with only the given
 * variables (no .env: ENV_PATH points at an empty folder).
 */
function runInProduction(args: string[], envDir: string, extra: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, args, {
    cwd: APP_ROOT,
    env: {
      PATH: process.env.PATH!,
      ENV_PATH: envDir,
      NODE_ENV: 'production',
      APP_KEY: generateAppKey(),
      ...extra,
    },
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { status: result.status, output: stripVTControlCharacters(result.stdout + result.stderr) }
}

test.group('Environment | the HTTP server variables', () => {
  test('"node ace migration:run --force" needs no PORT, HOST, LOG_LEVEL nor SESSION_DRIVER', async ({
    fs,
    assert,
    cleanup,
  }) => {
    const database = `tmp/env-spec-${randomUUID()}.sqlite3`
    cleanup(async () => {
      for (const suffix of ['', '-wal', '-shm']) {
        await rm(join(APP_ROOT, database + suffix), { force: true })
      }
    })

    const result = runInProduction(['ace', 'migration:run', '--force'], fs.basePath, {
      DB_SQLITE_FILE: database,
    })

    assert.equal(result.status, 0, result.output)
    assert.notInclude(result.output, 'Missing environment variable')
    assert.include(result.output, 'migrated database/migrations/')
  }).timeout(60_000)

  test('the HTTP server still requires them, and names each one missing', ({ fs, assert }) => {
    const result = runInProduction(['--import=@poppinss/ts-exec', 'bin/server.ts'], fs.basePath)
    const lines = result.output.split('\n')

    assert.equal(result.status, 1)
    for (const name of ['PORT', 'HOST', 'LOG_LEVEL', 'SESSION_DRIVER']) {
      assert.include(lines, `- Missing environment variable "${name}"`)
    }
  }).timeout(60_000)

  test('an ace command still refuses a value that is set and invalid', ({ fs, assert }) => {
    const result = runInProduction(['ace', 'migration:status'], fs.basePath, {
      SESSION_DRIVER: 'memory',
    })

    assert.equal(result.status, 1)
    assert.include(result.output, 'SESSION_DRIVER')
  }).timeout(60_000)
})
