/**
 * What a log line may say about a database error: the driver's code, the
 * names of what failed (table, column, constraint) and, where it cannot
 * quote a value, the driver's message; never a value. Left out: the SQL
 * with its bindings (knex puts them in front of the message),
 * PostgreSQL's `detail` ("Key (email)=(...) already exists"), `where`
 * and `internalQuery`, and the message of a PostgreSQL server error
 * (it can quote a value: 'invalid input syntax for type integer: "..."').
 */
export type DatabaseErrorReport = {
  type: string
  code?: string
  schema?: string
  table?: string
  column?: string
  constraint?: string
  /**
   * In words: "database error 23505 on users_email_unique", "database
   * error SQLITE_CANTOPEN: unable to open database file".
   */
  message: string
  /**
   * The stack frames only: the stack's first line repeats the message as
   * it was when the stack was first read, SQL values included.
   */
  stack?: string
}

/**
 * PostgreSQL's error fields that name things, never values.
 */
const POSTGRES_NAME_FIELDS = ['schema', 'table', 'column', 'constraint'] as const

/**
 * The tail of an SQLite constraint message: "UNIQUE constraint failed:
 * users.email" or "... failed: index 'users_email_lower_unique'". Only
 * name characters are taken, so nothing before the driver's message (the
 * SQL knex puts in front) can be.
 */
const SQLITE_CONSTRAINT = / constraint failed: ([\w.', ]{1,200})$/

/**
 * The start of a message knex wrote: the failed query (with its values)
 * and " - " before the error's own message.
 */
const KNEX_QUERY_PREFIX =
  /^\s*(select|insert|update|delete|with|create|alter|drop|pragma|begin|commit|rollback|savepoint|release|truncate|explain|copy|set|show)\s[\s\S]* - /i

/**
 * True for a PostgreSQL server error (pg's DatabaseError): a
 * five-character SQLSTATE and a severity.
 */
function isPostgresServerError(error: Error & { code?: unknown; severity?: unknown }) {
  return (
    typeof error.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(error.code) &&
    typeof error.severity === 'string'
  )
}

/**
 * True for an error of a query or of the database driver: better-sqlite3's
 * (codes "SQLITE_..."), a PostgreSQL server error, knex's query timeouts
 * (which carry the SQL and its bindings), and any error whose message
 * knex prefixed with the failed query (a connection lost during a query,
 * say).
 */
export function isDatabaseError(error: unknown): error is Error & Record<string, unknown> {
  if (!(error instanceof Error)) {
    return false
  }
  const code = (error as Error & { code?: unknown }).code
  return (
    (typeof code === 'string' && code.startsWith('SQLITE_')) ||
    isPostgresServerError(error) ||
    'bindings' in error ||
    'sql' in error ||
    KNEX_QUERY_PREFIX.test(error.message)
  )
}

/**
 * True when a query failed on a unique index or constraint (SQLite
 * SQLITE_CONSTRAINT_UNIQUE, PostgreSQL 23505): another request wrote the
 * same value first.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!isDatabaseError(error)) {
    return false
  }
  return error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === '23505'
}

/**
 * The report of a database error, or null for any other error.
 */
export function databaseErrorReport(error: unknown): DatabaseErrorReport | null {
  if (!isDatabaseError(error)) {
    return null
  }

  const code = typeof error.code === 'string' ? error.code : undefined
  const names: Partial<Record<(typeof POSTGRES_NAME_FIELDS)[number], string>> = {}
  if (code?.startsWith('SQLITE_')) {
    Object.assign(names, sqliteNames(error.message))
  } else {
    for (const field of POSTGRES_NAME_FIELDS) {
      if (typeof error[field] === 'string') {
        names[field] = error[field]
      }
    }
  }

  const failed = names.constraint ?? [names.table, names.column].filter(Boolean).join('.')
  const driverMessage = isPostgresServerError(error) ? undefined : ownMessage(error.message)
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n')
  return {
    type: error.name,
    ...(code ? { code } : {}),
    ...names,
    message:
      `database error ${code ?? error.name}` +
      (driverMessage ? `: ${driverMessage}` : failed ? ` on ${failed}` : ''),
    ...(frames ? { stack: frames } : {}),
  }
}

/**
 * The error's own message, without the query knex put in front of it:
 * what follows the last " - " (the query comes first, so whatever its
 * values hold, the last separator is the one knex added or one inside
 * the error's own message).
 */
function ownMessage(message: string): string {
  return KNEX_QUERY_PREFIX.test(message) ? message.slice(message.lastIndexOf(' - ') + 3) : message
}

/**
 * The message a log line may carry for an error: a database error's
 * report, or the error's own message.
 */
export function safeErrorMessage(error: Error): string {
  return databaseErrorReport(error)?.message ?? error.message
}

/**
 * The table, column or index names of an SQLite constraint message.
 */
function sqliteNames(message: string): { table?: string; column?: string; constraint?: string } {
  const failed = message.match(SQLITE_CONSTRAINT)?.[1]
  if (!failed) {
    return {}
  }
  const index = failed.match(/^index '(\w+)'$/)
  if (index) {
    return { constraint: index[1] }
  }
  const [table, column] = failed.split(',')[0].trim().split('.')
  return column ? { table, column, constraint: failed } : { constraint: failed }
}
