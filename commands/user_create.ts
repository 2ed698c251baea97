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
    'Asks for what the flags do not give. With --email and --password, asks nothing:',
    '    node ace user:create --email=admin@example.com --password=... --role=admin --verified',
    'Bad input is reported and nothing is written; the exit code is then 1.',
  ]
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'The email address (stored trimmed, lowercased, in NFC)' })
  declare email?: string

  @flags.string({ description: 'The password, 8 to 128 characters (hidden prompt when missing)' })
  declare password?: string

  @flags.string({ description: 'The role: user (default) or admin' })
  declare role?: string

  @flags.boolean({ description: 'Mark the email address as verified' })
  declare verified?: boolean

  async run() {
    /**
     * Loaded here, not at the top: ace imports every command file to list
     * them, and these would slow every "node ace" down.
     */
    const { errors } = await import('@vinejs/vine')
    const { DateTime } = await import('luxon')
    const { default: User } = await import('#models/user')
    const { createUserValidator } = await import('#validators/account')

    const interactive = this.email === undefined || this.password === undefined
    const input = {
      email: this.email ?? (await this.prompt.ask('Email address')),
      password: this.password ?? (await this.prompt.secure('Password (8 to 128 characters)')),
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
