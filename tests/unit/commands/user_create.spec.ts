import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import UserCreate from '#commands/user_create'
import { runNode } from '#kit/testing'

const EMAIL = 'new.cli@example.com'

/**
 * Runs "node ace <args>" as a script would: standard input is a pipe that
 * carries `input`, then closes (no terminal).
 */
function runAce(
  args: string[],
  input: string
): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['ace.js', ...args], {
      cwd: app.makePath(),
      env: {
        ...process.env,
        FORCE_COLOR: '0',
        NODE_ENV: 'test',
        ENV_PATH: 'kit/testing/fixtures/no-env/',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    child.once('error', reject)
    child.once('close', (exitCode) => {
      clearTimeout(timer)
      resolve({ exitCode, output })
    })
    child.stdin.end(input)
  })
}

/**
 * The app's ace kernel, logging in memory.
 */
async function kernel() {
  const ace = await app.container.make('ace')
  ace.ui.switchMode('raw')
  return ace
}

/**
 * The log lines of a command, joined.
 */
function logsOf(command: UserCreate) {
  return command.logger
    .getLogs()
    .map((log) => log.message)
    .join('\n')
}

test.group('user:create', (group) => {
  group.each.setup(async () => {
    await db.from('users').whereRaw('lower(email) like ?', ['new.cli%']).delete()
  })

  test('creates a user from flags, password hashed, email verified', async ({ assert }) => {
    const ace = await kernel()
    const command = await ace.create(UserCreate, [
      `--email=  New.CLI@Example.com `,
      '--password=a long enough password',
      '--role=admin',
      '--verified',
    ])
    await command.exec()

    command.assertSucceeded()
    const user = await db.from('users').where('email', EMAIL).firstOrFail()
    assert.equal(user.role, 'admin')
    assert.isNotNull(user.email_verified_at)
    assert.isTrue(await hash.verify(user.password, 'a long enough password'))
    assert.include(logsOf(command), `${EMAIL} (admin, email verified)`)
    assert.notInclude(logsOf(command), 'a long enough password')
  })

  test('with --email and --password only: a user, not verified, no prompt', async ({ assert }) => {
    const ace = await kernel()
    const command = await ace.create(UserCreate, [`--email=${EMAIL}`, '--password=12345678'])
    await command.exec()

    command.assertSucceeded()
    const user = await db.from('users').where('email', EMAIL).firstOrFail()
    assert.equal(user.role, 'user')
    assert.isNull(user.email_verified_at)
  })

  test('asks for what the flags do not give', async ({ assert }) => {
    const ace = await kernel()
    const command = await ace.create(UserCreate, [])
    command.terminal = true
    command.prompt.trap('Email address').replyWith(EMAIL)
    command.prompt.trap('Password (8 to 128 characters)').replyWith('typed in secret')
    command.prompt.trap('The same password again').replyWith('typed in secret')
    command.prompt.trap('Role').chooseOption(1)
    command.prompt.trap('Is the email address verified?').accept()
    await command.exec()

    command.assertSucceeded()
    const user = await db.from('users').where('email', EMAIL).firstOrFail()
    assert.equal(user.role, 'admin')
    assert.isNotNull(user.email_verified_at)
  })

  test('in a terminal, each answer is checked as it is given, the password asked twice', async ({
    assert,
  }) => {
    const ace = await kernel()
    const command = await ace.create(UserCreate, ['--role=user', '--verified'])
    command.terminal = true
    command.prompt
      .trap('Email address')
      .assertFails('not-an-email', /email/)
      .assertFails('DEMO@example.com', /already/)
      .assertPasses(EMAIL)
      .replyWith(EMAIL)
    command.prompt
      .trap('Password (8 to 128 characters)')
      .assertFails('short', /at least 8/)
      .assertFails('x'.repeat(129), /128/)
      .assertPasses('typed in secret')
      .replyWith('typed in secret')
    command.prompt
      .trap('The same password again')
      .assertFails('typed in secreT', 'This is not the same password')
      .assertPasses('typed in secret')
      .replyWith('typed in secret')
    await command.exec()

    command.assertSucceeded()
    const user = await db.from('users').where('email', EMAIL).firstOrFail()
    assert.isTrue(await hash.verify(user.password, 'typed in secret'))
  })

  test('without a terminal and without the password: exits 1, says what to give', async ({
    assert,
  }) => {
    const ace = await kernel()
    const command = await ace.create(UserCreate, [`--email=${EMAIL}`])
    command.terminal = false
    await command.exec()

    assert.equal(command.exitCode, 1)
    assert.include(logsOf(command), 'There is no terminal to ask in')
    assert.include(logsOf(command), '--password-stdin')
    assert.isNull(await db.from('users').where('email', EMAIL).first())
  })

  test('bad input: {label} exits 1, says why and writes nothing')
    .with([
      {
        label: 'an invalid email',
        argv: ['--email=not-an-email', '--password=12345678'],
        field: 'email',
      },
      {
        label: 'an email in use',
        argv: ['--email=DEMO@example.com', '--password=12345678'],
        field: 'email',
      },
      {
        label: 'a short password',
        argv: [`--email=${EMAIL}`, '--password=short'],
        field: 'password',
      },
      {
        label: 'a long password',
        argv: [`--email=${EMAIL}`, `--password=${'x'.repeat(129)}`],
        field: 'password',
      },
      {
        label: 'an unknown role',
        argv: [`--email=${EMAIL}`, '--password=12345678', '--role=root'],
        field: 'role',
      },
    ])
    .run(async ({ assert }, { argv, field }) => {
      const before = await db.from('users').count('* as total')
      const ace = await kernel()
      const command = await ace.create(UserCreate, argv)
      await command.exec()

      assert.equal(command.exitCode, 1)
      assert.include(logsOf(command), `${field}: `)
      assert.include(logsOf(command), 'No user was created')
      assert.deepEqual(await db.from('users').count('* as total'), before)
    })

  test('an address that could pass for another: {label} exits 1 and writes nothing')
    .with([
      { label: 'a soft hyphen', email: 'new.cli\u00ad@example.com', reason: 'invisible' },
      {
        label: 'a right-to-left override',
        email: 'new.cli\u202e@example.com',
        reason: 'invisible',
      },
      { label: 'a zero-width space', email: 'new.\u200bcli@example.com', reason: 'invisible' },
      { label: 'a quoted local part', email: '"new.cli"@example.com', reason: 'quotes' },
    ])
    .run(async ({ assert }, { email, reason }) => {
      const before = await db.from('users').count('* as total')
      const ace = await kernel()
      const command = await ace.create(UserCreate, [`--email=${email}`, '--password=12345678'])
      await command.exec()

      assert.equal(command.exitCode, 1)
      assert.include(logsOf(command), 'email: The email field must not contain')
      assert.include(logsOf(command), reason)
      assert.include(logsOf(command), 'No user was created')
      assert.deepEqual(await db.from('users').count('* as total'), before)
    })

  test('the address is stored in NFC: a combining accent becomes one character', async ({
    assert,
  }) => {
    const ace = await kernel()
    const command = await ace.create(UserCreate, [
      '--email=New.CLI.Re\u0301mi@Example.com',
      '--password=12345678',
    ])
    await command.exec()

    command.assertSucceeded()
    const user = await db.from('users').where('email', 'new.cli.r\u00e9mi@example.com').first()
    assert.exists(user)
  })

  test('the real CLI reads the password from standard input with --password-stdin', async ({
    assert,
  }) => {
    const result = await runAce(
      ['user:create', `--email=${EMAIL}`, '--password-stdin', '--role=admin'],
      'piped in secret\n'
    )

    assert.equal(result.exitCode, 0, result.output)
    assert.include(result.output, `${EMAIL} (admin, email not verified)`)
    const user = await db.from('users').where('email', EMAIL).firstOrFail()
    assert.isTrue(await hash.verify(user.password, 'piped in secret'))
  }).timeout(120_000)

  test('the real CLI without a terminal nor a password: {label}, exit 1, one clear line')
    .with([
      { label: 'input closed (</dev/null)', input: '' },
      { label: 'a password piped without --password-stdin', input: 'piped in secret\n' },
    ])
    .run(async ({ assert }, { input }) => {
      const result = await runAce(['user:create', `--email=${EMAIL}`], input)

      assert.equal(result.exitCode, 1, result.output)
      assert.include(result.output, 'There is no terminal to ask in')
      assert.notInclude(result.output, 'ERR_USE_AFTER_CLOSE')
      assert.isNull(await db.from('users').where('email', EMAIL).first())
    })
    .timeout(120_000)

  test('the real CLI exits 1 on bad input and lists the command', async ({ assert }) => {
    const env = { NODE_ENV: 'test', ENV_PATH: 'kit/testing/fixtures/no-env/' }
    const [bad, list] = await Promise.all([
      runNode(['ace.js', 'user:create', '--email=nope', '--password=12345678'], {
        env,
        timeoutMs: 90_000,
      }),
      runNode(['ace.js', 'list'], { env, timeoutMs: 90_000 }),
    ])

    assert.equal(bad.exitCode, 1, bad.output)
    assert.include(bad.output, 'email: ')
    assert.include(bad.output, 'No user was created')
    assert.match(list.output, /user:create\s+Create a user/)
  }).timeout(120_000)
})
