import type { ApplicationService } from '@adonisjs/core/types'
import type { BaseCommand } from '@adonisjs/core/ace'
import { ensurePgSchema } from '#kit/runtime/src/pg_schema'

/**
 * The commands that create tables: before they run, the PostgreSQL schema
 * their connection creates tables in is created when missing.
 */
const MIGRATING_COMMANDS = new Set(['migration:run', 'migration:fresh', 'migration:refresh'])

/**
 * Makes "node ace migration:run" work on a fresh PostgreSQL database whose
 * schema (the connection's `searchPath`, PG_SCHEMA in this app) does not
 * exist yet: the schema is created first, with one line saying so. A dry
 * run creates nothing. Registered for ace commands only ("console"): the
 * HTTP server never creates schemas, so its database user needs no CREATE
 * privilege.
 */
export default class MigrationSchemaProvider {
  constructor(protected app: ApplicationService) {}

  async ready() {
    const ace = await this.app.container.make('ace')
    ace.executing(async (command: BaseCommand) => {
      const { commandName } = command.constructor as typeof BaseCommand
      const flags = command as BaseCommand & { connection?: string; dryRun?: boolean }
      if (!MIGRATING_COMMANDS.has(commandName) || flags.dryRun) {
        return
      }

      const db = await this.app.container.make('lucid.db')
      const connectionName = flags.connection || db.primaryConnectionName
      const result = await ensurePgSchema(db, connectionName)
      if (result.action === 'created') {
        command.logger.info(`created the PostgreSQL schema "${result.schema}"`)
      }
    })
  }
}
