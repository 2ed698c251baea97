import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { databaseErrorReport, isUniqueViolation } from '#kit/errors/src/database_error'
import { capturedLogger } from '#kit/testing'
import { DUPLICATE_USER } from '#kit/testing/fixtures/error_routes'

const HASH_PART = 'ZHVwbGljYXRlLWhhc2g'

/**
 * The error a query rejects with.
 */
async function errorOf(query: Promise<unknown>): Promise<Error> {
  try {
    await query
  } catch (error) {
    return error as Error
  }
  throw new Error('The query succeeded')
}

/**
 * A unique violation as pg reports it (a DatabaseError: an Error named
 * "error" with the server's fields), with the SQL knex puts in front of
 * its message.
 */
function postgresUniqueViolation() {
  const error = new Error(
    'duplicate key value violates unique constraint "users_email_lower_unique"'
  )
  Object.assign(error, {
    name: 'error',
    severity: 'ERROR',
    code: '23505',
    detail: `Key (lower(email::text))=(${DUPLICATE_USER.email}) already exists.`,
    schema: 'public',
    table: 'users',
    constraint: 'users_email_lower_unique',
    where: `SQL statement "insert ... ${DUPLICATE_USER.email}"`,
  })
  error.message = `insert into "users" ("email", "password") values ('${DUPLICATE_USER.email}', '${DUPLICATE_USER.password}') - ${error.message}`
  return error
}

test.group('Errors | database errors in logs', () => {
  test('an SQLite unique violation is logged with its code and names, never the values', async ({
    assert,
  }) => {
    const error = await errorOf(
      db.table('users').insert({ ...DUPLICATE_USER, created_at: new Date() })
    )
    assert.include(error.message, DUPLICATE_USER.email, 'knex puts the values in the message')
    const { logger, lines } = capturedLogger()

    logger.error({ err: error }, 'failed')

    assert.isTrue(isUniqueViolation(error))
    assert.equal(lines[0].err.code, 'SQLITE_CONSTRAINT_UNIQUE')
    assert.match(lines[0].err.constraint, /email/)
    assert.match(
      lines[0].err.message,
      /^database error SQLITE_CONSTRAINT_UNIQUE: UNIQUE constraint failed: .*email/
    )
    const text = JSON.stringify(lines)
    for (const secret of [DUPLICATE_USER.email, '$scrypt$', HASH_PART, 'insert into']) {
      assert.notInclude(text, secret)
    }
  })

  test('a PostgreSQL unique violation is logged without its detail, where or SQL', ({ assert }) => {
    const error = postgresUniqueViolation()
    const { logger, lines } = capturedLogger()

    logger.error({ err: error }, 'failed')

    assert.isTrue(isUniqueViolation(error))
    assert.deepInclude(lines[0].err, {
      code: '23505',
      schema: 'public',
      table: 'users',
      constraint: 'users_email_lower_unique',
      message: 'database error 23505 on users_email_lower_unique',
    })
    assert.notProperty(lines[0].err, 'detail')
    assert.notProperty(lines[0].err, 'where')
    const text = JSON.stringify(lines)
    for (const secret of [DUPLICATE_USER.email, '$scrypt$', HASH_PART, 'Key (']) {
      assert.notInclude(text, secret)
    }
  })

  test('a query timeout is logged without its bindings', ({ assert }) => {
    const error = Object.assign(new Error('Defined query timeout of 10ms exceeded'), {
      name: 'KnexTimeoutError',
      sql: 'select * from "sessions" where "id" = ?',
      bindings: ['raw-session-id-1234'],
    })
    const { logger, lines } = capturedLogger()

    logger.error({ err: error }, 'failed')

    assert.equal(lines[0].err.type, 'KnexTimeoutError')
    assert.notInclude(JSON.stringify(lines), 'raw-session-id-1234')
  })

  test('an error knex prefixed with the failed query keeps only its own message', ({ assert }) => {
    const error = new Error(
      `select * from "sessions" where "id" = 'raw-session-id-1234' - Connection terminated unexpectedly`
    )
    const { logger, lines } = capturedLogger()

    logger.error({ err: error }, 'failed')

    assert.equal(lines[0].err.message, 'database error Error: Connection terminated unexpectedly')
    assert.notInclude(JSON.stringify(lines), 'raw-session-id-1234')
  })

  test('a database error as the cause of another is reduced to its report', ({ assert }) => {
    const error = new Error('the store failed', { cause: postgresUniqueViolation() })
    const { logger, lines } = capturedLogger()

    logger.error({ err: error }, 'failed')

    assert.equal(lines[0].err.message, 'the store failed')
    assert.equal(lines[0].err.cause.code, '23505')
    assert.notInclude(JSON.stringify(lines), DUPLICATE_USER.email)
  })

  test('the stack keeps its frames, not its first line', ({ assert }) => {
    const error = postgresUniqueViolation()
    error.stack = `error: ${error.message}\n    at Parser.parseErrorMessage (file.js:1:1)`

    assert.equal(databaseErrorReport(error)!.stack, '    at Parser.parseErrorMessage (file.js:1:1)')
  })

  test('other errors are logged as pino does, with email addresses masked', ({ assert }) => {
    const error = Object.assign(
      new Error(`Can't send mail - all recipients were rejected: 550 <jane.doe@example.com>`),
      { code: 'EENVELOPE', rejected: ['jane.doe@example.com'] }
    )
    error.stack = `${error.stack}\n    at x (/app/node_modules/@adonisjs/mail/build/index.js:1:1)`
    const { logger, lines } = capturedLogger()

    logger.error({ err: error }, 'failed')

    assert.equal(lines[0].err.code, 'EENVELOPE')
    assert.equal(
      lines[0].err.message,
      `Can't send mail - all recipients were rejected: 550 <j***@example.com>`
    )
    assert.deepEqual(lines[0].err.rejected, ['j***@example.com'])
    assert.include(lines[0].err.stack, 'node_modules/@adonisjs/mail/build/index.js')
    assert.notInclude(JSON.stringify(lines), 'jane.doe')
    assert.isFalse(isUniqueViolation(error))
    assert.isNull(databaseErrorReport(error))
  })
})
