import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import db from '@adonisjs/lucid/services/db'
import { generateAppKey } from '#kit/runtime/src/first_run/app_key'
import { POSTGRES, needsServices } from '#kit/testing/multinode_services'

const APP_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const CONNECTION = 'pg_schema_spec'

/**
 * Runs `node ace <args>` as a deploy script does: a production process
 * with only the given variables, on the test PostgreSQL database.
 */
function ace(args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['ace.js', ...args], {
      cwd: APP_ROOT,
      env: {
        PATH: process.env.PATH!,
        NODE_ENV: 'production',
        ENV_PATH: 'kit/testing/fixtures/no-env/',
        APP_KEY: generateAppKey(),
        DB_CONNECTION: 'pg',
        PG_HOST: POSTGRES.host,
        PG_PORT: String(POSTGRES.port),
        PG_USER: POSTGRES.user,
        PG_DB_NAME: POSTGRES.database,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk))
    child.on('error', reject)
    child.on('exit', (status) => resolve({ status, output: stripVTControlCharacters(output) }))
  })
}

/**
 * The tables of a schema.
 */
async function tablesOf(schema: string): Promise<string[]> {
  const result = await db
    .connection(CONNECTION)
    .rawQuery('select table_name from information_schema.tables where table_schema = ?', [schema])
  return result.rows.map((row: { table_name: string }) => row.table_name).sort()
}

test.group('PG_SCHEMA | migrations', (group) => {
  needsServices(group)

  group.setup(() => {
    db.manager.add(CONNECTION, {
      client: 'pg',
      connection: POSTGRES,
      pool: { min: 0, max: 1 },
    })
    return () => db.manager.close(CONNECTION, true)
  })

  test('"node ace migration:run --force" creates a PG_SCHEMA that does not exist', async ({
    assert,
    cleanup,
  }) => {
    /**
     * Upper case, a hyphen and a space: the name must be quoted.
     */
    const schema = `Deploy Schema-${randomBytes(4).toString('hex')}`
    cleanup(() => db.connection(CONNECTION).rawQuery('drop schema if exists ?? cascade', [schema]))

    const result = await ace(['migration:run', '--force'], { PG_SCHEMA: schema })

    assert.equal(result.status, 0, result.output)
    assert.notInclude(result.output, 'no schema has been selected')
    assert.include(result.output, `created the PostgreSQL schema "${schema}"`)
    assert.includeMembers(await tablesOf(schema), ['adonis_schema', 'sessions', 'users'])

    /**
     * A second run finds the schema and says nothing about it.
     */
    const again = await ace(['migration:run', '--force'], { PG_SCHEMA: schema })
    assert.equal(again.status, 0, again.output)
    assert.notInclude(again.output, 'created the PostgreSQL schema')
  }).timeout(120_000)

  test('a user who may not create the schema is told what to do', async ({ assert, cleanup }) => {
    const id = randomBytes(4).toString('hex')
    const schema = `deploy_denied_${id}`
    const role = `deploy_no_create_${id}`
    await db.connection(CONNECTION).rawQuery('create role ?? login', [role])
    cleanup(() => db.connection(CONNECTION).rawQuery('drop role if exists ??', [role]))

    const result = await ace(['migration:run', '--force'], { PG_SCHEMA: schema, PG_USER: role })

    assert.equal(result.status, 1, result.output)
    assert.include(result.output, `The PostgreSQL schema "${schema}"`)
    assert.include(result.output, `CREATE SCHEMA "${schema}" AUTHORIZATION "${role}"`)
  }).timeout(120_000)

  test('"node ace migration:run --dry-run" creates nothing', async ({ assert, cleanup }) => {
    const schema = `deploy_dry_${randomBytes(4).toString('hex')}`
    cleanup(() => db.connection(CONNECTION).rawQuery('drop schema if exists ?? cascade', [schema]))

    await ace(['migration:run', '--force', '--dry-run'], { PG_SCHEMA: schema })

    const found = await db
      .connection(CONNECTION)
      .rawQuery('select 1 from pg_namespace where nspname = ?', [schema])
    assert.lengthOf(found.rows, 0)
  }).timeout(120_000)
})
