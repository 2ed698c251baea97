import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * `node ace user:create`: creates a user in any environment, the first
 * admin of a production app included (`db:seed` does not run there).
 */
export default class UserCreate extends BaseCommand {
  static commandName = 'user:create'
  static description = 'Create a user (the first admin included), from prompts or flags'
  static help = [
    'In a terminal, asks for what the flags do not give (the password twice).',
    'In a script (no terminal), give --email and the password, best from standard input:',
    '    printf %s "$PASSWORD" | node ace user:create --email=admin@example.com --password-stdin --role=admin --verified',
    'Bad input is reported and nothing is written; the exit code is then 1.',
  ]
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'The email address (stored trimmed, lowercased, in NFC)' })
  declare email?: string

  @flags.string({ description: 'The password, 8 to 128 characters (hidden prompt when missing)' })
  declare password?: string

  @flags.boolean({
    description: 'Read the password from standard input (one line; for scripts)',
  })
  declare passwordStdin?: boolean

  @flags.string({ description: 'The role: user (default) or admin' })
  declare role?: string

  @flags.boolean({ description: 'Mark the email address as verified' })
  declare verified?: boolean

  /**
   * Whether prompts can be answered: standard input is a terminal. Without
   * one, a prompt would wait on a pipe or a closed input.
   */
  terminal = process.stdin.isTTY === true

  async run() {
    /**
     * Loaded here, not at the top: ace imports every command file to list
     * them, and these would slow every "node ace" down.
     */
    const { errors } = await import('@vinejs/vine')
    const { DateTime } = await import('luxon')
    const { default: User } = await import('#models/user')
    const { createUserValidator } = await import('#validators/account')

    if (this.passwordStdin) {
      this.password = await readPasswordFromStdin()
    }

    const interactive = this.email === undefined || this.password === undefined
    if (interactive && !this.terminal) {
      this.logger.error(
        'There is no terminal to ask in: give --email and the password (--password-stdin reads ' +
          'it from standard input, --password takes it as a value)'
      )
      this.logger.error('No user was created')
      this.exitCode = 1
      return
    }

    /**
     * A prompt's answer is checked as it is given (the prompt asks again),
     * by the same validator as the flags.
     */
    const check = async (field: 'email' | 'password', value: string) => {
      const sample = { email: 'valid@example.invalid', password: 'x'.repeat(8), role: 'user' }
      const [problem] = await createUserValidator
        .validate({ ...sample, [field]: value })
        .then(() => [])
        .catch((error) => {
          if (!(error instanceof errors.E_VALIDATION_ERROR)) {
            throw error
          }
          return (error.messages as { field: string; message: string }[]).filter(
            (message) => message.field === field
          )
        })
      return problem ? problem.message : true
    }

    const email =
      this.email ??
      (await this.prompt.ask('Email address', { validate: (value) => check('email', value) }))
    let password = this.password
    if (password === undefined) {
      password = await this.prompt.secure('Password (8 to 128 characters)', {
        validate: (value) => check('password', value),
      })
      const first = password
      await this.prompt.secure('The same password again', {
        validate: (value) => value === first || 'This is not the same password',
      })
    }
    const input = {
      email,
      password,
      role:
        this.role ?? (interactive ? await this.prompt.choice('Role', ['user', 'admin']) : 'user'),
    }
    const verified =
      this.verified ??
      (interactive ? await this.prompt.confirm('Is the email address verified?') : false)

    let data
    try {
      data = await createUserValidator.validate(input)
    } catch (error) {
      if (error instanceof errors.E_VALIDATION_ERROR) {
        for (const message of error.messages as { field: string; message: string }[]) {
          this.logger.error(`${message.field}: ${message.message}`)
        }
        this.logger.error('No user was created')
        this.exitCode = 1
        return
      }
      throw error
    }

    const user = await User.create({
      ...data,
      emailVerifiedAt: verified ? DateTime.now() : null,
    })
    this.logger.success(
      `Created user #${user.id} ${user.email} (${user.role}, email ${verified ? 'verified' : 'not verified'})`
    )
  }
}

/**
 * The password piped to the command: standard input up to its end, without
 * the line break that ends it ("echo" adds one; "printf %s" does not).
 */
async function readPasswordFromStdin(): Promise<string> {
  let text = ''
  for await (const chunk of process.stdin.setEncoding('utf8')) {
    text += chunk
  }
  return text.replace(/\r?\n$/, '')
}
