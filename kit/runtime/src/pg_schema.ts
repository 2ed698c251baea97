import type { Database } from '@adonisjs/lucid/database'

/**
 * What `ensurePgSchema` did.
 */
export type PgSchemaResult =
  | { action: 'created'; schema: string }
  | { action: 'exists'; schema: string }
  | { action: 'skipped' }

const PG_CLIENTS = new Set(['pg', 'postgres', 'postgresql'])

/**
 * The schema of a PostgreSQL connection's search path that its tables are
 * created in (the first one), or undefined for another database.
 */
export function pgSchemaOf(db: Database, connectionName: string): string | undefined {
  if (!db.manager.has(connectionName)) {
    return undefined
  }
  const config = db.manager.get(connectionName)!.config as {
    client?: string
    searchPath?: string | string[]
  }
  if (!PG_CLIENTS.has(String(config.client))) {
    return undefined
  }
  const searchPath = config.searchPath
  return (Array.isArray(searchPath) ? searchPath[0] : searchPath) || undefined
}

/**
 * The error of a schema that is missing and cannot be created.
 */
export class PgSchemaMissingError extends Error {
  constructor(
    readonly schema: string,
    readonly connectionName: string,
    readonly user: string,
    cause: unknown
  ) {
    super(
      `The PostgreSQL schema "${schema}" (the search path of the "${connectionName}" connection) ` +
        `does not exist, and user "${user}" may not create it. Create it as a user who may ` +
        `(CREATE SCHEMA "${schema}" AUTHORIZATION "${user}"), then run the migrations again.`,
      { cause }
    )
    this.name = 'PgSchemaMissingError'
  }

  /**
   * Ace prints the message alone: the stack says nothing the message does
   * not.
   */
  render(
    error: PgSchemaMissingError,
    kernel: { ui: { logger: { logError(message: string): void } } }
  ) {
    kernel.ui.logger.logError(`[ error ] ${error.message}`)
  }
}

/**
 * Creates the schema a PostgreSQL connection creates its tables in when it
 * does not exist yet (CREATE SCHEMA, the name quoted), so that the first
 * migration of a fresh database or a new PG_SCHEMA works. Only migrations
 * call it: a running app never needs the CREATE privilege.
 *
 * The schema is looked up first, so an existing schema needs no privilege
 * at all (PostgreSQL checks the privilege of CREATE SCHEMA IF NOT EXISTS
 * before it checks whether the schema exists).
 */
export async function ensurePgSchema(
  db: Database,
  connectionName: string
): Promise<PgSchemaResult> {
  const schema = pgSchemaOf(db, connectionName)
  if (!schema) {
    return { action: 'skipped' }
  }

  const connection = db.connection(connectionName)
  const found = await connection.rawQuery('select 1 from pg_namespace where nspname = ?', [schema])
  if (found.rows.length > 0) {
    return { action: 'exists', schema }
  }

  try {
    await connection.rawQuery('create schema if not exists ??', [schema])
  } catch (error) {
    if ((error as { code?: string }).code === '42501') {
      const user = await connection.rawQuery('select current_user as name')
      throw new PgSchemaMissingError(schema, connectionName, user.rows[0]?.name, error)
    }
    throw error
  }
  return { action: 'created', schema }
}
