import { relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ApplicationService } from '@adonisjs/core/types'
import type { Database } from '@adonisjs/lucid/database'
import { fsReadAll } from '@adonisjs/core/helpers'
import { MigrationRunner } from '@adonisjs/lucid/migration'
import type { BaseSeeder } from '@adonisjs/lucid/seeders'

/**
 * What `setupNewDatabase` did.
 */
export type DatabaseSetupResult = {
  migrated: string[]
  seeded: string[]
}

/**
 * A database is new when Lucid has never migrated it (no "adonis_schema"
 * table): a file that does not exist yet, or an empty one.
 */
export async function isNewDatabase(db: Database, connectionName?: string) {
  return !(await db.connection(connectionName).schema.hasTable('adonis_schema'))
}

/**
 * Migrates a new database and runs the seeders meant for the current
 * environment (the demo users in development). A database that was
 * migrated before is left alone, so running this twice changes nothing.
 */
export async function setupNewDatabase(
  app: ApplicationService,
  db: Database,
  options: { connectionName?: string; log?: (line: string) => void } = {}
): Promise<DatabaseSetupResult> {
  const result: DatabaseSetupResult = { migrated: [], seeded: [] }
  if (!(await isNewDatabase(db, options.connectionName))) {
    return result
  }

  const migrator = new MigrationRunner(db, app, {
    direction: 'up',
    dryRun: false,
    connectionName: options.connectionName,
  })
  await migrator.run()
  if (migrator.error) {
    throw migrator.error
  }
  result.migrated = Object.values(migrator.migratedFiles).map((file) => file.file.name)
  options.log?.(`[first run] migrated the new database (${result.migrated.length} migrations)`)

  result.seeded = await runSeeders(app, db, options)
  return result
}

/**
 * Runs every seeder whose `environment` includes the current one, in file
 * name order (what "node ace db:seed" does).
 */
async function runSeeders(
  app: ApplicationService,
  db: Database,
  options: { connectionName?: string; log?: (line: string) => void }
) {
  const client = db.connection(options.connectionName)
  const config = db.getRawConnection(client.connectionName)!.config
  const seeded: string[] = []

  for (const seedersPath of config.seeders?.paths ?? ['database/seeders']) {
    const files = await fsReadAll(app.makePath(seedersPath), {
      pathType: 'absolute',
      filter: (file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'),
    })

    for (const file of files.sort()) {
      const { default: Seeder } = (await import(pathToFileURL(file).href)) as {
        default: typeof BaseSeeder
      }
      if (Seeder.environment && !Seeder.environment.includes(app.nodeEnvironment)) {
        continue
      }
      await new Seeder(client).run()
      const name = relative(fileURLToPath(app.appRoot), file)
      seeded.push(name)
      options.log?.(`[first run] seeded ${name}`)
    }
  }

  return seeded
}
