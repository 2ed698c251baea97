import { test } from '@japa/runner'
import { stat } from 'node:fs/promises'
import { ensureEnvFile } from '#kit/runtime/src/first_run/env_file'
import { MIN_APP_KEY_LENGTH } from '#kit/runtime/src/first_run/app_key'

test.group('First run | .env file', () => {
  test('creates .env from .env.example with a fresh APP_KEY', async ({ fs, assert }) => {
    await fs.create('.env.example', 'PORT=3333\nAPP_KEY=\nNODE_ENV=development\n')
    const lines: string[] = []

    const result = ensureEnvFile(fs.baseUrl, { log: (line) => lines.push(line) })

    assert.equal(result, 'created')
    const contents = await fs.contents('.env')
    const key = contents.match(/^APP_KEY=(.*)$/m)![1]
    assert.isAtLeast(key.length, MIN_APP_KEY_LENGTH)
    assert.include(contents, 'PORT=3333')
    assert.include(contents, 'NODE_ENV=development')
    assert.deepEqual(lines, ['[first run] created .env from .env.example with a new APP_KEY'])
  })

  test('gives every new .env its own key', async ({ fs, assert }) => {
    await fs.create('a/.env.example', 'APP_KEY=\n')
    await fs.create('b/.env.example', 'APP_KEY=\n')

    ensureEnvFile(new URL('a/', fs.baseUrl))
    ensureEnvFile(new URL('b/', fs.baseUrl))

    assert.notEqual(await fs.contents('a/.env'), await fs.contents('b/.env'))
  })

  test('appends APP_KEY when the example has no such line', async ({ fs, assert }) => {
    await fs.create('.env.example', 'PORT=3333')
    ensureEnvFile(fs.baseUrl)
    assert.match(await fs.contents('.env'), /^PORT=3333\nAPP_KEY=[\w-]{43}\n$/)
  })

  test('never overwrites an existing .env', async ({ fs, assert }) => {
    await fs.create('.env.example', 'APP_KEY=\n')
    await fs.create('.env', 'APP_KEY=mine-and-only-mine-0123456789abcdef\n')

    assert.equal(ensureEnvFile(fs.baseUrl), 'exists')
    assert.equal(await fs.contents('.env'), 'APP_KEY=mine-and-only-mine-0123456789abcdef\n')
  })

  test('a second run changes nothing', async ({ fs, assert }) => {
    await fs.create('.env.example', 'APP_KEY=\n')
    ensureEnvFile(fs.baseUrl)
    const first = await fs.contents('.env')

    assert.equal(ensureEnvFile(fs.baseUrl), 'exists')
    assert.equal(await fs.contents('.env'), first)
  })

  test('writes nothing in production', async ({ fs, assert }) => {
    await fs.create('.env.example', 'APP_KEY=\n')

    assert.equal(ensureEnvFile(fs.baseUrl, { nodeEnv: 'production' }), 'skipped')
    await assert.fileNotExists('.env')
  })

  test('writes nothing in tests', async ({ fs, assert }) => {
    await fs.create('.env.example', 'APP_KEY=\n')

    assert.equal(ensureEnvFile(fs.baseUrl, { nodeEnv: 'test' }), 'skipped')
    await assert.fileNotExists('.env')
  })

  test("creates .env in ENV_PATH, from the app root's .env.example", async ({ fs, assert }) => {
    await fs.create('.env.example', 'APP_KEY=\nPORT=3333\n')
    await fs.create('config/env/.keep', '')
    const lines: string[] = []

    const result = ensureEnvFile(fs.baseUrl, {
      envPath: 'config/env/',
      log: (line) => lines.push(line),
    })

    assert.equal(result, 'created')
    assert.include(await fs.contents('config/env/.env'), 'PORT=3333')
    await assert.fileNotExists('.env')
    assert.deepEqual(lines, [
      '[first run] created config/env/.env from .env.example with a new APP_KEY',
    ])
  })

  test('writes nothing when ENV_PATH is not a folder', async ({ fs, assert }) => {
    await fs.create('.env.example', 'APP_KEY=\n')

    assert.equal(ensureEnvFile(fs.baseUrl, { envPath: 'missing/' }), 'skipped')
    await assert.fileNotExists('.env')
    await assert.fileNotExists('missing/.env')
  })

  test('writes nothing when there is no .env.example', async ({ fs, assert }) => {
    assert.equal(ensureEnvFile(fs.baseUrl), 'skipped')
    await assert.fileNotExists('.env')
  })

  test('keeps the .env private to its owner', async ({ fs, assert }) => {
    await fs.create('.env.example', 'APP_KEY=\n')
    ensureEnvFile(fs.baseUrl)
    const stats = await stat(new URL('.env', fs.baseUrl))
    assert.equal(stats.mode & 0o777, 0o600)
  })
})
