import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateAppKey } from '#kit/runtime/src/first_run/app_key'

const APP_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url))

test.group('First run | node ace codegen', () => {
  test('the first run stays out of an app only assembled to be inspected: codegen exits', async ({
    fs,
    assert,
  }) => {
    const database = join(fs.basePath, 'codegen.sqlite3')
    const result = spawnSync(process.execPath, ['ace.js', 'codegen'], {
      cwd: APP_ROOT,
      env: {
        PATH: process.env.PATH!,
        /**
         * A folder of the test's own: in development the first run writes
         * ".env" there.
         */
        ENV_PATH: fs.basePath,
        NODE_ENV: 'development',
        APP_KEY: generateAppKey(),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        SESSION_DRIVER: 'database',
        DB_SQLITE_FILE: database,
      },
      encoding: 'utf8',
      timeout: 60_000,
    })

    assert.isNull(result.signal, 'codegen was killed: it did not exit by itself')
    assert.equal(result.status, 0, result.stdout + result.stderr)
    assert.include(result.stdout, 'Codegen files generated')
    assert.isFalse(existsSync(database), 'the first run migrated a database')
  }).timeout(90_000)
})
