import { SessionLucidUserProvider } from '@adonisjs/auth/session'
import type { LucidAuthenticatable } from '@adonisjs/auth/types/session'
import type { Database } from '@adonisjs/lucid/database'
import { SqliteConnection, quoteIdentifier } from '#kit/runtime'

/**
 * The session guard's user provider (see "config/auth.ts"): the one of
 * @adonisjs/auth for Lucid models, which loads the signed-in user on every
 * request, with that lookup made by one prepared statement when the
 * model's connection is SQLite (better-sqlite3). The guard and the app get
 * the same model instance `Model.find(id)` gives (find hooks included);
 * on any other database, `Model.find(id)` itself runs.
 */
export class PreparedUserProvider<
  Model extends LucidAuthenticatable,
> extends SessionLucidUserProvider<Model> {
  #sqlite?: { connection: SqliteConnection; sql: string; name: string } | null

  constructor(
    options: ConstructorParameters<typeof SessionLucidUserProvider<Model>>[0],
    protected db: Database
  ) {
    super(options)
  }

  /**
   * The prepared-statement lookup of the model, when its connection is
   * SQLite.
   */
  #lookup(model: Model) {
    if (this.#sqlite === undefined) {
      const client = this.db.connection(model.connection)
      const connection = SqliteConnection.of(client)
      const keyColumn = model.$keys.attributesToColumns.get(model.primaryKey, model.primaryKey)
      this.#sqlite = connection
        ? {
            connection,
            name: client.connectionName,
            sql:
              `select * from ${quoteIdentifier(model.table)} ` +
              `where ${quoteIdentifier(keyColumn)} = ? limit 1`,
          }
        : null
    }
    return this.#sqlite
  }

  async findById(identifier: string | number) {
    const model = await this.getModel()
    const lookup = this.#lookup(model)
    if (!lookup) {
      return super.findById(identifier)
    }

    const row = await lookup.connection.use((db) =>
      lookup.connection.statement(db, lookup.sql).get(identifier)
    )
    if (!row) {
      return null
    }
    const user = model.$createFromAdapterResult(row, {}, { connection: lookup.name })!
    await model.$hooks.runner('after:find').run(user)
    return this.createUserForGuard(user as InstanceType<Model>)
  }
}
