import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { appKey, generateAppKey } from '#first_run/app_key'

/**
 * Starts the real HTTP server entrypoint in production mode with the given
 * environment, no .env file, and returns how it ended.
 */
function bootInProduction(envDir: string, extra: Record<string, string>) {
  const root = fileURLToPath(new URL('../../../', import.meta.url))
  const env: Record<string, string> = {
    PATH: process.env.PATH!,
    ENV_PATH: envDir,
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SESSION_DRIVER: 'cookie',
    ...extra,
  }
  return spawnSync(process.execPath, ['--import=@poppinss/ts-exec', 'bin/server.ts'], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  })
}

test.group('First run | APP_KEY', () => {
  test('generated keys are long, random and URL safe', ({ assert }) => {
    const keys = new Set(Array.from({ length: 20 }, () => generateAppKey()))
    assert.equal(keys.size, 20)
    for (const key of keys) {
      assert.match(key, /^[\w-]{43}$/)
    }
  })

  test('the validator accepts a 32+ character key', ({ assert }) => {
    const key = generateAppKey()
    assert.equal(appKey('APP_KEY', key), key)
  })

  test('the validator explains how to fix a missing key', ({ assert }) => {
    assert.throws(() => appKey('APP_KEY', undefined), /node ace generate:key --show/)
    assert.throws(() => appKey('APP_KEY', ''), /Missing environment variable "APP_KEY"/)
  })

  test('the validator refuses a short key and says why', ({ assert }) => {
    assert.throws(() => appKey('APP_KEY', 'too-short'), /9 characters long; it must be at least 32/)
  })

  test('production boot stops when APP_KEY is missing', async ({ fs, assert }) => {
    const result = bootInProduction(fs.basePath, {})

    assert.notEqual(result.status, 0)
    assert.include(result.stderr + result.stdout, 'node ace generate:key --show')
    await assert.fileNotExists('.env')
  }).timeout(60_000)

  test('production boot stops when APP_KEY is short', ({ fs, assert }) => {
    const result = bootInProduction(fs.basePath, { APP_KEY: 'abc' })

    assert.notEqual(result.status, 0)
    assert.include(result.stderr + result.stdout, 'must be at least 32')
  }).timeout(60_000)
})
