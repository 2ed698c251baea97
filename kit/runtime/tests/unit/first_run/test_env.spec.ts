import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { FileSystem } from '@japa/file-system'

const APP_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url))

const KEYS = ['SESSION_ROTATION_INTERVAL', 'LOG_LEVEL', 'DB_SQLITE_FILE', 'PORT', 'NODE_ENV']

/**
 * The environment a test run gets (kit/testing/fixtures/test_env_probe.ts), with
 * env files read from `envDir` and the given shell variables.
 */
function testEnvironment(envDir: string, shell: Record<string, string> = {}) {
  const result = spawnSync(
    process.execPath,
    ['--import=@poppinss/ts-exec', 'kit/testing/fixtures/test_env_probe.ts', ...KEYS],
    {
      cwd: APP_ROOT,
      env: { PATH: process.env.PATH!, ENV_PATH: envDir, ...shell },
      encoding: 'utf8',
      timeout: 60_000,
    }
  )
  if (result.status !== 0) {
    throw new Error(`The probe failed:\n${result.stdout}${result.stderr}`)
  }
  return JSON.parse(result.stdout.trim().split('\n').pop()!)
}

/**
 * Writes the kit's ".env.test" and a developer's env files that would
 * break the suite if a test run read them.
 */
async function writeEnvFiles(fs: FileSystem) {
  await fs.create('.env.test', await readFile(`${APP_ROOT}/.env.test`, 'utf8'))
  await fs.create(
    '.env',
    [
      'SESSION_ROTATION_INTERVAL=1s',
      'LOG_LEVEL=debug',
      'DB_SQLITE_FILE=tmp/developer.sqlite3',
      'PORT=9999',
      'NODE_ENV=development',
    ].join('\n')
  )
  await fs.create('.env.local', 'SESSION_ROTATION_INTERVAL=2s\n')
  await fs.create('.env.test.local', 'SESSION_ROTATION_INTERVAL=3s\n')
}

test.group('First run | test environment', () => {
  test('a test run reads .env.test, never .env', async ({ fs, assert }) => {
    await writeEnvFiles(fs)

    const { PORT, ...values } = testEnvironment(fs.basePath)
    assert.deepEqual(values, {
      SESSION_ROTATION_INTERVAL: null,
      LOG_LEVEL: 'silent',
      DB_SQLITE_FILE: 'tmp/test.sqlite3',
      NODE_ENV: 'test',
    })
    assert.notEqual(PORT, 9999)
  }).timeout(60_000)

  test('without PORT in the shell, a test run gets a free port, not 3333', async ({
    fs,
    assert,
  }) => {
    await writeEnvFiles(fs)

    /**
     * 3333 taken (a "npm run dev" running): the run must not pick it.
     */
    const devServer = createServer()
    const devServerListens = await new Promise<boolean>((resolve) => {
      devServer.once('error', () => resolve(false))
      devServer.listen(3333, () => resolve(true))
    })
    try {
      const { PORT } = testEnvironment(fs.basePath)
      assert.isNumber(PORT)
      assert.notEqual(PORT, 3333)

      const probe = createServer()
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject)
        probe.listen(PORT, '127.0.0.1', () => probe.close(() => resolve()))
      })
    } finally {
      if (devServerListens) {
        await new Promise((resolve) => devServer.close(resolve))
      }
    }
  }).timeout(60_000)

  test("the shell's variables still win", async ({ fs, assert }) => {
    await writeEnvFiles(fs)
    const values = testEnvironment(fs.basePath, { SESSION_ROTATION_INTERVAL: '5s', PORT: '3422' })

    assert.equal(values.SESSION_ROTATION_INTERVAL, '5s')
    assert.equal(values.PORT, 3422)
    assert.equal(values.LOG_LEVEL, 'silent')
  }).timeout(60_000)
})
