import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'

/**
 * The text of a file of the app.
 */
function readAppFile(path: string) {
  return readFile(app.makePath(path), 'utf8')
}

/**
 * The files a user of the kit reads: the README, the env example, every
 * page of docs/ and the modules' READMEs.
 */
const USER_FACING = [
  'README.md',
  '.env.example',
  'docs/accounts.md',
  'docs/architecture.md',
  'docs/changes.md',
  'docs/errors.md',
  'docs/generator.md',
  'docs/mfa.md',
  'docs/internals.md',
  'docs/multinode.md',
  'docs/performance.md',
  'docs/production.md',
  'docs/sessions.md',
  'kit/errors/README.md',
  'kit/generators/README.md',
  'kit/mfa/README.md',
  'kit/runtime/README.md',
  'kit/security/README.md',
  'kit/sessions/README.md',
]

test.group('Docs | sentences that were true once', () => {
  test('{$self} names no issue of the kit’s tracker')
    .with(USER_FACING)
    .run(async ({ assert }, path) => {
      const text = await readAppFile(path)
      assert.notMatch(text, /\bissues? #?\d+/i)
      assert.notMatch(text, /\(#\d+\)/)
    })

  test('docs/accounts.md does not call the account forms unthrottled', async ({ assert }) => {
    const text = await readAppFile('docs/accounts.md')
    assert.notMatch(text, /not throttled yet/i)
  })

  test('.env.example points to the docs where the sections are now', async ({ assert }) => {
    const text = await readAppFile('.env.example')
    assert.notMatch(text, /in the README/i)
    for (const [, path] of text.matchAll(/\b(docs\/[\w.-]+\.md)\b/g)) {
      assert.isTrue(existsSync(app.makePath(path)), `${path} exists`)
    }
  })

  test('.env.example shows the defaults config/database.ts uses', async ({ assert }) => {
    const example = await readAppFile('.env.example')
    const config = await readAppFile('config/database.ts')
    for (const name of ['PG_HOST', 'PG_PORT', 'PG_USER', 'PG_DB_NAME']) {
      const shown = example.match(new RegExp(`^# ${name}=(.*)$`, 'm'))?.[1]
      const used = config.match(new RegExp(`env\\.get\\('${name}', '?([^')]+)'?\\)`))?.[1]
      assert.isDefined(used, `${name} has a default in config/database.ts`)
      assert.equal(shown, used, `${name} in .env.example`)
    }
  })

  test('docs/multinode.md names every table the migrations create', async ({ assert }) => {
    const markdown = await readAppFile('docs/multinode.md')
    const text = markdown.replace(/\s+/g, ' ')
    const allTables = await db.connection().getAllTables()
    const tables = allTables.filter((table) => !table.startsWith('adonis_schema'))
    assert.isAbove(tables.length, 3)
    for (const table of tables) {
      assert.include(text, `\`${table}\``)
    }
    assert.notInclude(text, 'the `users` and `sessions` tables')
  })

  test('{$self} says that SESSION_DRIVER=cookie needs theft detection off')
    .with(['README.md', '.env.example'])
    .run(async ({ assert }, path) => {
      const text = await readAppFile(path)
      assert.include(text, 'cookie')
      assert.include(text, 'theftDetection')
    })

  test('docs/production.md has the first-deploy checklist, its steps in order', async ({
    assert,
  }) => {
    const text = await readAppFile('docs/production.md')
    const steps = [
      '.nvmrc',
      'APP_URL',
      'node ace generate:key',
      'TRUST_PROXY',
      'PG_SCHEMA',
      'npm ci --omit=dev',
      'node ace migration:run --force',
      'node ace user:create',
      'MAIL_FROM',
      'SESSION_DRIVER=redis',
      'node bin/server.js',
      '/health/ready',
      'SIGTERM',
    ]
    let from = 0
    for (const step of steps) {
      const at = text.indexOf(step, from)
      assert.isAbove(at, -1, `"${step}" after the previous step`)
      from = at
    }
    assert.notInclude(text, 'generate:key --show` and paste')
  })
})
