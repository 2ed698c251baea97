import { test } from '@japa/runner'
import type { FileSystem } from '@japa/file-system'
import { ListLoader } from '@adonisjs/core/ace'
import CoreMakeException from '@adonisjs/core/commands/make/exception'
import MakeException from '#kit/generators/src/make_exception'
import { createKernel, logsOf } from '#kit/testing'

/**
 * Runs "make:exception" with the given arguments.
 */
async function make(fs: FileSystem, argv: string[]) {
  const ace = await createKernel(fs)
  const command = await ace.create(MakeException, argv)
  await command.exec()
  return command
}

/**
 * Runs "make:exception" the way the CLI does (the kernel parses and
 * validates the arguments, renders errors and sets the exit code).
 */
async function handle(fs: FileSystem, argv: string[]) {
  const ace = await createKernel(fs)
  ace.addLoader(new ListLoader([MakeException]))
  await ace.handle(['make:exception', ...argv])
  return ace
}

test.group('make:exception | defaults', () => {
  test('writes the class with status 500 and a code and message from the name', async ({
    fs,
    assert,
  }) => {
    const command = await make(fs, ['PaymentRequired'])

    command.assertSucceeded()
    command.assertLog('green(DONE:)    create app/exceptions/payment_required_exception.ts')
    await assert.fileEquals(
      'app/exceptions/payment_required_exception.ts',
      [
        `import { Exception } from '@adonisjs/core/exceptions'`,
        ``,
        `/**`,
        ` * Internal Server Error (500). Throw it with its default message or your own:`,
        ` * "throw new PaymentRequiredException()" or "throw new PaymentRequiredException('...')".`,
        ` */`,
        `export default class PaymentRequiredException extends Exception {`,
        `  static status = 500`,
        `  static code = 'E_PAYMENT_REQUIRED'`,
        `  static message = 'Payment required'`,
        `}`,
        ``,
      ].join('\n')
    )
    await assert.dirNotExists('tests')
  })

  test('names: {name}')
    .with([
      {
        name: 'payment_required',
        file: 'app/exceptions/payment_required_exception.ts',
        className: 'PaymentRequiredException',
        code: 'E_PAYMENT_REQUIRED',
      },
      {
        name: 'payment-required',
        file: 'app/exceptions/payment_required_exception.ts',
        className: 'PaymentRequiredException',
        code: 'E_PAYMENT_REQUIRED',
      },
      {
        name: 'PaymentRequiredException',
        file: 'app/exceptions/payment_required_exception.ts',
        className: 'PaymentRequiredException',
        code: 'E_PAYMENT_REQUIRED',
      },
      {
        name: 'admin/UserBanned',
        file: 'app/exceptions/admin/user_banned_exception.ts',
        className: 'UserBannedException',
        code: 'E_USER_BANNED',
      },
      {
        name: 'billing/stripe/CardDeclined',
        file: 'app/exceptions/billing/stripe/card_declined_exception.ts',
        className: 'CardDeclinedException',
        code: 'E_CARD_DECLINED',
      },
    ])
    .run(async ({ fs, assert }, { name, file, className, code }) => {
      const command = await make(fs, [name])

      command.assertSucceeded()
      command.assertLog(`green(DONE:)    create ${file}`)
      await assert.fileContains(file, `export default class ${className} extends Exception {`)
      await assert.fileContains(file, `static code = '${code}'`)
    })
})

test.group('make:exception | flags', () => {
  test('--status, --code and --message', async ({ fs, assert }) => {
    const command = await make(fs, [
      'PaymentRequired',
      '--status=402',
      '--code=E_PLAN_EXPIRED',
      '--message=Your plan has expired',
    ])

    command.assertSucceeded()
    const file = 'app/exceptions/payment_required_exception.ts'
    await assert.fileContains(file, ' * Payment Required (402).')
    await assert.fileContains(file, '  static status = 402\n')
    await assert.fileContains(file, `  static code = 'E_PLAN_EXPIRED'\n`)
    await assert.fileContains(file, `  static message = 'Your plan has expired'\n`)
  })

  test('messages are written as valid string literals: {literal}')
    .with([
      { message: `It's over`, literal: `"It's over"` },
      { message: `Say "hi"`, literal: `'Say "hi"'` },
      { message: `It's "both"`, literal: `'It\\'s "both"'` },
      { message: 'C:\\path', literal: `'C:\\\\path'` },
      { message: 'two\nlines', literal: `'two\\nlines'` },
      { message: '${not} `a` template', literal: "'${not} `a` template'" },
    ])
    .run(async ({ fs, assert }, { message, literal }) => {
      const command = await make(fs, ['Quoted', `--message=${message}`])

      command.assertSucceeded()
      await assert.fileContains(
        'app/exceptions/quoted_exception.ts',
        `  static message = ${literal}\n`
      )
    })

  test('a message that makes a {length}-character line is laid out as Prettier does')
    .with([
      { length: 100, expected: (literal: string) => `  static message = ${literal}\n` },
      { length: 101, expected: (literal: string) => `  static message =\n    ${literal}\n` },
    ])
    .run(async ({ fs, assert }, { length, expected }) => {
      const message = 'm'.repeat(length - '  static message = '.length - 2)
      const command = await make(fs, ['Wordy', `--message=${message}`])

      command.assertSucceeded()
      await assert.fileContains('app/exceptions/wordy_exception.ts', expected(`'${message}'`))
    })

  test('--handle answers through respond(), which reads the handler at request time', async ({
    fs,
    assert,
  }) => {
    const command = await make(fs, ['Handled', '--status=402', '--handle'])

    command.assertSucceeded()
    const file = 'app/exceptions/handled_exception.ts'
    await assert.fileContains(file, `import type { HttpContext } from '@adonisjs/core/http'`)
    await assert.fileContains(file, `import { respond } from '#kit/errors'`)
    await assert.fileContains(file, 'async handle(error: this, ctx: HttpContext) {')
    await assert.fileContains(file, 'return respond(error, ctx)')
    await assert.fileNotContains(file, 'inProduction')
    await assert.fileNotContains(file, 'errors/client_error')
    await assert.fileNotContains(file, 'async report(')
  })

  test("--report of a {status} logs at {level} level, with the handler's context()")
    .with([
      { status: '409', level: 'warn', withErr: false },
      { status: '500', level: 'error', withErr: true },
    ])
    .run(async ({ fs, assert }, { status, level, withErr }) => {
      const command = await make(fs, ['Reported', `--status=${status}`, '--report'])

      command.assertSucceeded()
      const file = 'app/exceptions/reported_exception.ts'
      await assert.fileContains(file, `import type { HttpContext } from '@adonisjs/core/http'`)
      await assert.fileNotContains(file, `import app from '@adonisjs/core/services/app'`)
      await assert.fileContains(file, 'async report(error: this, ctx: HttpContext) {')
      await assert.fileContains(file, `ctx.logger.${level}(`)
      await assert.fileNotContains(file, 'requestId')
      await assert.fileContains(file, `import { reportContext } from '#kit/errors'`)
      await assert.fileContains(file, 'const context = await reportContext(ctx)')
      await assert.fileContains(file, 'code: error.code, ...context }')
      await assert.fileNotContains(file, 'ctx.request.ip()')
      if (withErr) {
        await assert.fileContains(file, 'err: error,')
      } else {
        await assert.fileNotContains(file, 'err: error,')
      }
      await assert.fileNotContains(file, 'async handle(')
    })

  test('--test also writes a spec that throws the exception through a route', async ({
    fs,
    assert,
  }) => {
    const command = await make(fs, [
      'billing/PaymentRequired',
      '--status=402',
      '--message=Your plan has expired',
      '--test',
    ])

    command.assertSucceeded()
    command.assertLog('green(DONE:)    create app/exceptions/billing/payment_required_exception.ts')
    command.assertLog(
      'green(DONE:)    create tests/unit/exceptions/billing/payment_required_exception.spec.ts'
    )

    const spec = 'tests/unit/exceptions/billing/payment_required_exception.spec.ts'
    await assert.fileContains(
      spec,
      `import PaymentRequiredException from '#exceptions/billing/payment_required_exception'`
    )
    await assert.fileContains(spec, `const ROUTE = '/__test__/exceptions/billing/payment_required'`)
    await assert.fileContains(spec, 'const STATUS = 402\n')
    await assert.fileContains(spec, `const CODE = 'E_PAYMENT_REQUIRED'\n`)
    await assert.fileContains(spec, `const MESSAGE = 'Your plan has expired'\n`)
    await assert.fileContains(spec, 'throw new PaymentRequiredException()')
    await assert.fileContains(spec, 'group.setup(() => testUtils.httpServer().start())')
    await assert.fileContains(spec, 'errors: [{ status: STATUS, code: CODE, message: MESSAGE }],')
    await assert.fileNotContains(spec, 'application/problem+json')
  })

  test('--test with --handle also checks problem+json and the status page', async ({
    fs,
    assert,
  }) => {
    const command = await make(fs, ['Gone', '--status=410', '--handle', '--test'])

    command.assertSucceeded()
    const spec = 'tests/unit/exceptions/gone_exception.spec.ts'
    await assert.fileContains(spec, `header('accept', 'application/problem+json')`)
    await assert.fileContains(spec, `title: 'Gone',`)
    await assert.fileContains(spec, `header('accept', 'text/html')`)
    await assert.fileContains(spec, `assert.include(response.text(), 'Error 410')`)
  })

  test('every flag at once', async ({ fs, assert }) => {
    const command = await make(fs, [
      'PaymentRequired',
      '--status=402',
      '--code=E_PAYMENT_REQUIRED',
      '--message=Your plan has expired',
      '--handle',
      '--report',
      '--test',
    ])

    command.assertSucceeded()
    const file = 'app/exceptions/payment_required_exception.ts'
    await assert.fileContains(file, 'async handle(error: this, ctx: HttpContext) {')
    await assert.fileContains(file, 'async report(error: this, ctx: HttpContext) {')
    await assert.fileContains(file, 'return respond(error, ctx)')
    await assert.fileContains(file, 'ctx.logger.warn(')
    await assert.fileExists('tests/unit/exceptions/payment_required_exception.spec.ts')
  })
})

test.group('make:exception | existing files', () => {
  test('an existing file is skipped and left as it is', async ({ fs, assert }) => {
    await fs.create('app/exceptions/payment_required_exception.ts', '// mine\n')
    await fs.create('tests/unit/exceptions/payment_required_exception.spec.ts', '// mine too\n')

    const command = await make(fs, ['PaymentRequired', '--status=402', '--test'])

    command.assertSucceeded()
    command.assertLog(
      'cyan(SKIPPED:) create app/exceptions/payment_required_exception.ts dim((File already exists))'
    )
    command.assertLog(
      'cyan(SKIPPED:) create tests/unit/exceptions/payment_required_exception.spec.ts dim((File already exists))'
    )
    await assert.fileEquals('app/exceptions/payment_required_exception.ts', '// mine\n')
    await assert.fileEquals(
      'tests/unit/exceptions/payment_required_exception.spec.ts',
      '// mine too\n'
    )
  })

  test('only the missing file is written', async ({ fs, assert }) => {
    await fs.create('app/exceptions/payment_required_exception.ts', '// mine\n')

    const command = await make(fs, ['PaymentRequired', '--test'])

    command.assertSucceeded()
    await assert.fileEquals('app/exceptions/payment_required_exception.ts', '// mine\n')
    await assert.fileContains(
      'tests/unit/exceptions/payment_required_exception.spec.ts',
      'throw new PaymentRequiredException()'
    )
  })

  test('{$self} overwrites')
    .with(['--force', '-f'])
    .run(async ({ fs, assert }, flag) => {
      await fs.create('app/exceptions/payment_required_exception.ts', '// mine\n')

      const command = await make(fs, ['PaymentRequired', '--status=402', flag])

      command.assertSucceeded()
      command.assertLog('green(DONE:)    create app/exceptions/payment_required_exception.ts')
      await assert.fileContains(
        'app/exceptions/payment_required_exception.ts',
        'static status = 402'
      )
    })
})

test.group('make:exception | bad input', () => {
  test('{title}: writes nothing, exits with 1 and says what is wrong')
    .with([
      {
        title: 'a status that is not a number',
        argv: ['PaymentRequired', '--status=abc'],
        message: 'Invalid --status "abc": use an integer from 400 to 599',
      },
      {
        title: 'a status that is not an integer',
        argv: ['PaymentRequired', '--status=402.5'],
        message: 'Invalid --status "402.5": use an integer from 400 to 599',
      },
      {
        title: 'a status below 400',
        argv: ['PaymentRequired', '--status=302'],
        message: 'Invalid --status "302": use an integer from 400 to 599',
      },
      {
        title: 'a status above 599',
        argv: ['PaymentRequired', '--status=600'],
        message: 'Invalid --status "600": use an integer from 400 to 599',
      },
      {
        title: 'a negative status',
        argv: ['PaymentRequired', '--status=-402'],
        message: 'Invalid --status "-402": use an integer from 400 to 599',
      },
      {
        title: 'a status written in hex',
        argv: ['PaymentRequired', '--status=0x192'],
        message: 'Invalid --status "0x192": use an integer from 400 to 599',
      },
      {
        title: 'a lowercase code',
        argv: ['PaymentRequired', '--code=E_payment'],
        message: 'Invalid --code "E_payment": use "E_" followed by capital letters',
      },
      {
        title: 'a code without the E_ prefix',
        argv: ['PaymentRequired', '--code=PAYMENT_REQUIRED'],
        message: 'Invalid --code "PAYMENT_REQUIRED"',
      },
      {
        title: 'a code that is only the prefix',
        argv: ['PaymentRequired', '--code=E_'],
        message: 'Invalid --code "E_"',
      },
      {
        title: 'a code with a dash',
        argv: ['PaymentRequired', '--code=E_PAYMENT-REQUIRED'],
        message: 'Invalid --code "E_PAYMENT-REQUIRED"',
      },
      {
        title: 'a blank message',
        argv: ['PaymentRequired', '--message=   '],
        message: 'Invalid --message: it is blank',
      },
      {
        title: 'a name going up a folder',
        argv: ['../x'],
        message: 'Invalid name "../x": use letters, digits, "-" and "_", starting with a letter',
      },
      {
        title: 'a name with a space',
        argv: ['Payment Required'],
        message: 'Invalid name "Payment Required"',
      },
      {
        title: 'a name with a symbol',
        argv: ['Payment$'],
        message: 'Invalid name "Payment$"',
      },
      {
        title: 'a name with a dot',
        argv: ['payment.required'],
        message: 'Invalid name "payment.required"',
      },
      {
        title: 'a blank name',
        argv: ['   '],
        message: 'Invalid name "   "',
      },
      {
        title: 'an absolute path',
        argv: ['/etc/x'],
        message: 'Invalid name "/etc/x"',
      },
      {
        title: 'an empty folder',
        argv: ['admin//x'],
        message: 'Invalid name "admin//x"',
      },
      {
        title: 'a trailing slash',
        argv: ['admin/'],
        message: 'Invalid name "admin/"',
      },
      {
        title: 'a backslash',
        argv: ['admin\\x'],
        message: 'Invalid name "admin\\x"',
      },
      {
        title: 'a name starting with a digit',
        argv: ['404'],
        message: 'Invalid name "404"',
      },
      {
        title: 'a name that is only the suffix',
        argv: ['Exception'],
        message: 'Invalid name "Exception": nothing is left once the "Exception" suffix is removed',
      },
      {
        title: 'a name that is too long',
        argv: ['A'.repeat(60)],
        message: 'is longer than 64 characters',
      },
    ])
    .run(async ({ fs, assert }, { argv, message }) => {
      const ace = await handle(fs, argv)

      assert.equal(ace.exitCode, 1)
      assert.include(logsOf(ace), message)
      await assert.dirNotExists('app')
      await assert.dirNotExists('tests')
    })

  test('every problem is reported at once', async ({ fs, assert }) => {
    const ace = await handle(fs, ['../x', '--status=1000', '--code=nope'])

    assert.equal(ace.exitCode, 1)
    const logs = logsOf(ace)
    assert.include(logs, 'Invalid name "../x"')
    assert.include(logs, 'Invalid --status "1000"')
    assert.include(logs, 'Invalid --code "nope"')
    await assert.dirNotExists('app')
  })

  test('{title}: rejected by ace, nothing written')
    .with([
      {
        title: 'an unknown flag',
        argv: ['PaymentRequired', '--bogus'],
        message: 'Unknown flag "--bogus". The mentioned flag is not accepted by the command',
      },
      {
        title: 'an unknown short flag',
        argv: ['PaymentRequired', '-x'],
        message: 'Unknown flag "-x"',
      },
      {
        title: 'a misspelt flag with a value',
        argv: ['PaymentRequired', '--stauts=402'],
        message: 'Unknown flag "--stauts"',
      },
      {
        title: 'no name',
        argv: [],
        message: 'Missing required argument "name"',
      },
      {
        title: 'an empty name',
        argv: [''],
        message: 'Missing value for argument "name"',
      },
      {
        title: 'an empty status',
        argv: ['PaymentRequired', '--status='],
        message: 'Missing value for option "status"',
      },
      {
        title: 'an empty message',
        argv: ['PaymentRequired', '--message='],
        message: 'Missing value for option "message"',
      },
    ])
    .run(async ({ fs, assert }, { argv, message }) => {
      const ace = await handle(fs, argv)

      assert.equal(ace.exitCode, 1)
      assert.include(logsOf(ace), message)
      await assert.dirNotExists('app')
      await assert.dirNotExists('tests')
    })

  test('the command itself rejects unknown flags (core allows them)', async ({ fs, assert }) => {
    const ace = await createKernel(fs)

    await assert.rejects(() => ace.create(MakeException, ['PaymentRequired', '--bogus']))
    assert.isFalse(MakeException.options.allowUnknownFlags)
    await assert.dirNotExists('app')
  })
})

test.group('make:exception | custom stubs', () => {
  test('stubs in the app stubs folder are used first', async ({ fs, assert }) => {
    await fs.create(
      'stubs/make/exception/main.stub',
      [
        `{{{ exports({ to: app.exceptionsPath(entity.path, exception.fileName) }) }}}`,
        `// custom: {{ exception.className }} {{ exception.status }} {{ exception.code }}`,
      ].join('\n')
    )
    await fs.create(
      'stubs/make/exception/test.stub',
      [
        `{{{ exports({ to: app.makePath('tests/unit/exceptions', entity.path, exception.testFileName) }) }}}`,
        `// custom test: {{ exception.importPath }} {{ exception.route }}`,
      ].join('\n')
    )

    const command = await make(fs, ['admin/Banned', '--status=403', '--test'])

    command.assertSucceeded()
    await assert.fileEquals(
      'app/exceptions/admin/banned_exception.ts',
      '// custom: BannedException 403 E_BANNED\n'
    )
    await assert.fileEquals(
      'tests/unit/exceptions/admin/banned_exception.spec.ts',
      '// custom test: #exceptions/admin/banned_exception /__test__/exceptions/admin/banned\n'
    )
  })

  test('a stub that cannot be rendered writes nothing', async ({ fs, assert }) => {
    await fs.create('stubs/make/exception/test.stub', '{{{ exports({ to: nowhere.path }) }}}')

    const command = await make(fs, ['PaymentRequired', '--test'])

    command.assertFailed()
    command.assertLogMatches(
      /Cannot render the stub "make\/exception\/test\.stub": nowhere is not defined/
    )
    await assert.dirNotExists('app')
    await assert.dirNotExists('tests')
  })
})

test.group('make:exception | replaces core', () => {
  test('"list" shows one make:exception, ours', async ({ fs, assert }) => {
    const ace = await createKernel(fs)
    ace.addLoader(() => import('@adonisjs/core/commands'))
    ace.addLoader(() => import('#kit/generators/commands'))
    await ace.handle(['list'])

    const lines = logsOf(ace)
      .split('\n')
      .filter((line) => line.includes('make:exception'))
    assert.lengthOf(lines, 1)
    assert.include(lines[0], 'Create an exception class with its status')
    assert.strictEqual(await ace.find('make:exception'), MakeException)
  })

  test('the loader order decides: core alone runs core, ours after it wins', async ({
    fs,
    assert,
  }) => {
    const coreOnly = await createKernel(fs)
    coreOnly.addLoader(() => import('@adonisjs/core/commands'))
    await coreOnly.boot()
    assert.strictEqual(await coreOnly.find('make:exception'), CoreMakeException)

    const ours = await createKernel(fs)
    ours.addLoader(() => import('@adonisjs/core/commands'))
    ours.addLoader(() => import('#kit/generators/commands'))
    await ours.boot()
    assert.strictEqual(await ours.find('make:exception'), MakeException)
  })

  test('--help documents every flag', async ({ fs, assert }) => {
    const ace = await createKernel(fs)
    ace.addLoader(() => import('#kit/generators/commands'))
    await ace.handle(['make:exception', '--help'])

    const help = logsOf(ace)
    for (const flag of ['--status', '--code', '--message', '--handle', '--report', '--test']) {
      assert.include(help, flag)
    }
    assert.include(help, '-f, --force')
    assert.include(help, 'kit/generators/stubs/make/exception/main.stub')
    await assert.dirNotExists('app')
  })
})
