import { dirname, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { access, mkdir, writeFile } from 'node:fs/promises'
import string from '@adonisjs/core/helpers/string'
import { args, flags, BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
/**
 * The errors module's light entry loads no config, no "#start/env" and no
 * service, so this import is safe in a file ace loads for every command.
 */
import { isErrorStatus, statusTitle } from '#kit/errors/exceptions'

/**
 * The default stubs, shipped with this module. The app's "stubs" folder is
 * searched first (as for every AdonisJS generator), so a copy in
 * "stubs/make/exception/" changes what the command writes.
 */
const STUBS_ROOT = fileURLToPath(new URL('../stubs/', import.meta.url))

const MAIN_STUB = 'make/exception/main.stub'
const TEST_STUB = 'make/exception/test.stub'

/**
 * One folder or file name in the exception name: a letter, then letters,
 * digits, "-" or "_".
 */
const NAME_SEGMENT = /^[A-Za-z][A-Za-z0-9_-]*$/

/**
 * The error codes the error responses show (see kit/errors/src/error_description.ts).
 */
const ERROR_CODE = /^E_[A-Z0-9_]+$/

/**
 * Class names longer than this would not fit the generated test's
 * `test.group(...)` line.
 */
const MAX_CLASS_NAME_LENGTH = 64

/**
 * The width Prettier formats to (@adonisjs/prettier-config).
 */
const PRINT_WIDTH = 100

/**
 * A string literal written the way Prettier writes it: single quotes,
 * unless the text has more single quotes than double quotes.
 */
function literal(value: string): string {
  const singles = value.split("'").length - 1
  const doubles = value.split('"').length - 1
  const quote = singles > doubles ? '"' : "'"

  let escaped = ''
  for (const char of value) {
    const charCode = char.charCodeAt(0)
    if (char === '\\' || char === quote) {
      escaped += `\\${char}`
    } else if (char === '\n') {
      escaped += '\\n'
    } else if (char === '\r') {
      escaped += '\\r'
    } else if (char === '\t') {
      escaped += '\\t'
    } else if (charCode < 0x20 || charCode === 0x7f || charCode === 0x2028 || charCode === 0x2029) {
      escaped += `\\u${charCode.toString(16).padStart(4, '0')}`
    } else {
      escaped += char
    }
  }

  return `${quote}${escaped}${quote}`
}

/**
 * True when a line, indented by `indent` spaces, fits Prettier's print
 * width. The stubs use it to lay out long strings the way Prettier does
 * (on the next line, after the "=").
 */
function fits(indent: number, line: string): boolean {
  return indent + line.length <= PRINT_WIDTH
}

/**
 * Creates an exception class in "app/exceptions": its status, code and
 * default message, and, on request, a `handle` method rendering it like
 * the app's exception handler, a `report` method logging it with the
 * request's context, and a test.
 *
 * It replaces core's "make:exception" (see kit/generators/commands.ts, which also
 * says why the file name starts with "_").
 */
export default class MakeException extends BaseCommand {
  static commandName = 'make:exception'
  static description =
    'Create an exception class with its status, code and message (optionally self-handled, self-reported and tested)'

  /**
   * Printed as is by "--help" in a terminal: plain lines, examples indented
   * (no Markdown).
   */
  static help = [
    'Writes app/exceptions/<name>_exception.ts, with "/" for sub-folders.',
    '',
    'Examples:',
    '  {{ binaryName }} make:exception PaymentRequired --status=402',
    '  {{ binaryName }} make:exception PlanExpired --status=402 --message="Plan expired"',
    '  {{ binaryName }} make:exception billing/PaymentRequired --handle --report --test',
    '',
    'Bad input (name, status, code, unknown flag) writes nothing and exits with 1.',
    "The output comes from the kit's kit/generators/stubs/make/exception/main.stub and",
    "test.stub: a copy in the app's stubs/make/exception/ is used instead.",
  ]

  /**
   * Unknown flags are errors here (core's generator accepts them).
   */
  static options: CommandOptions = {
    allowUnknownFlags: false,
  }

  @args.string({
    description: 'Name of the exception, e.g. PaymentRequired or billing/PaymentRequired',
  })
  declare name: string

  @flags.string({ description: 'HTTP status, an integer from 400 to 599 (default: 500)' })
  declare status?: string

  @flags.string({
    description: 'Error code, "E_" then capitals, digits or "_" (default: from the name)',
  })
  declare code?: string

  @flags.string({ description: 'Default message (default: the name in words)' })
  declare message?: string

  @flags.boolean({
    description:
      'Add a handle method that answers as the exception handler does (its status pages and formats, read at request time)',
  })
  declare handle?: boolean

  @flags.boolean({
    description: 'Add a report method logging through ctx.logger with the request context',
  })
  declare report?: boolean

  @flags.boolean({
    description: 'Also write tests/unit/exceptions/<name>_exception.spec.ts',
  })
  declare test?: boolean

  @flags.boolean({ description: 'Overwrite existing files', alias: 'f' })
  declare force?: boolean

  /**
   * What is wrong with the name and flags, in plain words (empty when all
   * is well).
   */
  #problems(): string[] {
    const problems: string[] = []

    const segments = this.name.split('/')
    if (!segments.every((segment) => NAME_SEGMENT.test(segment))) {
      problems.push(
        `Invalid name "${this.name}": use letters, digits, "-" and "_", starting with a letter, ` +
          'and "/" between folders (e.g. PaymentRequired or billing/PaymentRequired)'
      )
    } else {
      const className = this.app.generators.exceptionName(segments[segments.length - 1])
      if (className === 'Exception') {
        problems.push(
          `Invalid name "${this.name}": nothing is left once the "Exception" suffix is removed`
        )
      } else if (className.length > MAX_CLASS_NAME_LENGTH) {
        problems.push(
          `Invalid name "${this.name}": the class name ${className} is longer than ` +
            `${MAX_CLASS_NAME_LENGTH} characters`
        )
      }
    }

    if (this.status !== undefined) {
      const status = String(this.status)
      if (!/^\d+$/.test(status) || !isErrorStatus(Number(status))) {
        problems.push(`Invalid --status "${status}": use an integer from 400 to 599`)
      }
    }

    if (this.code !== undefined && !ERROR_CODE.test(String(this.code))) {
      problems.push(
        `Invalid --code "${this.code}": use "E_" followed by capital letters, digits or "_" ` +
          '(e.g. E_PAYMENT_REQUIRED)'
      )
    }

    if (this.message !== undefined && !String(this.message).trim()) {
      problems.push('Invalid --message: it is blank')
    }

    return problems
  }

  /**
   * Everything the stubs receive besides `app`, `generators` and `string`.
   */
  #stubState() {
    const entity = this.app.generators.createEntity(this.name)
    const className = this.app.generators.exceptionName(entity.name)
    const fileName = this.app.generators.exceptionFileName(entity.name)
    const baseName = className.replace(/Exception$/, '')
    const folder = entity.path === './' ? '' : `${entity.path}/`
    const moduleName = fileName.replace(/\.ts$/, '')
    const status = this.status === undefined ? 500 : Number(this.status)

    return {
      flags: this.parsed.flags,
      entity,
      literal,
      fits,
      exception: {
        className,
        fileName,
        testFileName: fileName.replace(/\.ts$/, '.spec.ts'),
        importPath: `#exceptions/${folder}${moduleName}`,
        route: `/__test__/exceptions/${folder}${moduleName.replace(/_exception$/, '')}`,
        status,
        title: statusTitle(status),
        code: this.code ?? `E_${string.snakeCase(baseName).toUpperCase()}`,
        message: this.message ?? string.sentenceCase(baseName),
        logLevel: status >= 500 ? 'error' : 'warn',
        handle: !!this.handle,
        report: !!this.report,
      },
    }
  }

  /**
   * Writes a prepared stub, or skips it when the file exists (unless
   * --force).
   */
  async #write(file: { contents: string; destination: string }) {
    const fileName = this.app.relativePath(file.destination).split(sep).join('/')
    const exists = await access(file.destination).then(
      () => true,
      () => false
    )

    if (exists && !this.force) {
      this.logger.action(`create ${fileName}`).skipped('File already exists')
      return
    }

    await mkdir(dirname(file.destination), { recursive: true })
    await writeFile(file.destination, `${file.contents}\n`)
    this.logger.action(`create ${fileName}`).succeeded()
  }

  async run() {
    const problems = this.#problems()
    if (problems.length) {
      problems.forEach((problem) => this.logger.error(problem))
      this.exitCode = 1
      return
    }

    /**
     * Every stub is rendered before anything is written: a stub that fails
     * to render writes no file.
     */
    const state = this.#stubState()
    const stubs = await this.app.stubs.create()
    const stubPaths = this.test ? [MAIN_STUB, TEST_STUB] : [MAIN_STUB]
    const files = []
    for (const stubPath of stubPaths) {
      try {
        const stub = await stubs.build(stubPath, { source: STUBS_ROOT })
        files.push(await stub.prepare(state))
      } catch (error) {
        this.logger.error(`Cannot render the stub "${stubPath}": ${(error as Error).message}`)
        this.exitCode = 1
        return
      }
    }

    for (const file of files) {
      await this.#write(file)
    }
  }
}
