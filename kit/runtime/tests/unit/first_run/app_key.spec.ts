import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import { appKey, appKeyWeakness, generateAppKey } from '#kit/runtime/src/first_run/app_key'
import string from '@adonisjs/core/helpers/string'
import { randomBytes } from 'node:crypto'

const APP_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url))

/**
 * The output of a process, without colors.
 */
function plainOutput(result: { stdout: string; stderr: string }) {
  return stripVTControlCharacters(result.stdout + result.stderr)
}

/**
 * Starts the real HTTP server entrypoint in production mode with the given
 * environment, no .env file, and returns how it ended.
 */
function bootInProduction(envDir: string, extra: Record<string, string>) {
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
    cwd: APP_ROOT,
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
    assert.throws(
      () => appKey('APP_KEY', undefined),
      /with "node ace generate:key", which writes it to \.env/
    )
    assert.throws(() => appKey('APP_KEY', ''), /Missing environment variable "APP_KEY"/)
  })

  test('the validator refuses a short key and says why', ({ assert }) => {
    assert.throws(() => appKey('APP_KEY', 'too-short'), /9 characters long; it must be at least 32/)
  })

  test('production boot stops when APP_KEY is missing, in plain lines', async ({ fs, assert }) => {
    const result = bootInProduction(fs.basePath, {})
    const lines = plainOutput(result).split('\n')

    assert.notEqual(result.status, 0)
    assert.include(lines, '[ error ] Validation failed for one or more environment variables:')
    assert.include(lines, `- ${captureMessage(() => appKey('APP_KEY', undefined))}`)
    assert.notInclude(plainOutput(result), 'EnvValidationException')
    await assert.fileNotExists('.env')
  }).timeout(60_000)

  test('an ace command that boots the app prints the same plain lines', async ({ fs, assert }) => {
    const result = spawnSync(process.execPath, ['ace', 'migration:status'], {
      cwd: APP_ROOT,
      env: { PATH: process.env.PATH!, ENV_PATH: fs.basePath, NODE_ENV: 'production' },
      encoding: 'utf8',
      timeout: 60_000,
    })
    const lines = plainOutput(result).split('\n')

    assert.equal(result.status, 1)
    assert.include(lines, '[ error ] Validation failed for one or more environment variables:')
    assert.include(lines, `- ${captureMessage(() => appKey('APP_KEY', undefined))}`)
    assert.notInclude(plainOutput(result), 'EnvValidationException')
  }).timeout(60_000)

  test('the command the error advises prints a key, with no environment at all', async ({
    fs,
    assert,
  }) => {
    const advice = plainOutput(bootInProduction(fs.basePath, {})).match(/with "(node [^"]+)"/)
    assert.isNotNull(advice)

    const [, ...args] = advice![1].split(' ')
    const result = spawnSync(process.execPath, args, {
      cwd: APP_ROOT,
      env: { PATH: process.env.PATH!, ENV_PATH: fs.basePath, NODE_ENV: 'production' },
      encoding: 'utf8',
      timeout: 60_000,
    })

    assert.equal(result.status, 0, plainOutput(result))
    const key = plainOutput(result).match(/APP_KEY = (\S+)/)?.[1]
    assert.equal(appKey('APP_KEY', key), key)
    await assert.fileNotExists('.env')
  }).timeout(60_000)

  test('keys made by a generator are strong enough', ({ assert }) => {
    for (let i = 0; i < 200; i++) {
      assert.isUndefined(appKeyWeakness(generateAppKey()))
      assert.isUndefined(appKeyWeakness(string.random(32)))
      assert.isUndefined(appKeyWeakness(randomBytes(32).toString('hex')))
      assert.isUndefined(appKeyWeakness(randomBytes(32).toString('base64')))
    }
  })

  test('repeated characters, common words and low randomness are weak', ({ assert }) => {
    assert.equal(
      appKeyWeakness('a'.repeat(36)),
      'it repeats itself; about 0 bits of randomness, fewer than 128'
    )
    assert.equal(
      appKeyWeakness('changeme-changeme-changeme-changeme'),
      'it is made of common words; about 32 bits of randomness, fewer than 128'
    )
    assert.match(
      appKeyWeakness('my-super-secret-app-key-for-production-2024')!,
      /^it is made of common words; about \d+ bits/
    )
    assert.match(appKeyWeakness('0123456789abcdef0123456789abcdef')!, /^it repeats itself/)
    assert.match(appKeyWeakness('x'.repeat(20) + 'y'.repeat(20))!, /^about \d+ bits of randomness/)
  })

  for (const weakKey of ['a'.repeat(36), 'changeme-changeme-changeme-changeme']) {
    test(`production boot refuses the weak key "${weakKey}" and says how to make one`, ({
      fs,
      assert,
    }) => {
      const result = bootInProduction(fs.basePath, { APP_KEY: weakKey })
      const lines = plainOutput(result).split('\n')

      assert.equal(result.status, 1)
      assert.include(lines, '[ error ] Validation failed for one or more environment variables:')
      assert.include(
        lines,
        `- "APP_KEY" is too easy to guess (${appKeyWeakness(weakKey)}). Make a random one with ` +
          `"node ace generate:key" (or "openssl rand -base64 32") and replace the current value`
      )
    }).timeout(60_000)
  }

  test('outside production a weak key is accepted (a development .env of old)', ({ assert }) => {
    assert.equal(appKey('APP_KEY', 'a'.repeat(36)), 'a'.repeat(36))
  })

  test('production boot stops when APP_KEY is short', ({ fs, assert }) => {
    const result = bootInProduction(fs.basePath, { APP_KEY: 'abc' })

    assert.notEqual(result.status, 0)
    assert.include(result.stderr + result.stdout, 'must be at least 32')
  }).timeout(60_000)
})

/**
 * The message of the error a function throws.
 */
function captureMessage(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('It did not throw')
}
