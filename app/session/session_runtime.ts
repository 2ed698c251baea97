import app from '@adonisjs/core/services/app'
import string from '@adonisjs/core/helpers/string'
import { configProvider } from '@adonisjs/core'
import type { SessionConfig, SessionStoreFactory } from '@adonisjs/session/types'
import db from '@adonisjs/lucid/services/db'
import { appKey } from '#config/app'
import sessionSecurity from '#config/session_security'
import { DatabaseFamilyStore } from '#session/database_family_store'
import type { SessionFamilyStore, SessionPolicy } from '#session/types'

/**
 * "config/session.ts", resolved.
 */
export type ResolvedSessionConfig = SessionConfig & {
  store: string
  stores: Record<string, SessionStoreFactory>
}

/**
 * What the session middleware works with.
 */
export type SessionRuntime = {
  config: ResolvedSessionConfig
  /**
   * The family store of the configured driver; undefined for the cookie
   * store, which keeps nothing on the server.
   */
  families?: SessionFamilyStore
  policy: SessionPolicy
}

let runtime: Promise<SessionRuntime> | undefined

/**
 * Builds the session runtime from the config once, on first use.
 */
export function sessionRuntime(): Promise<SessionRuntime> {
  runtime ??= (async () => {
    const config = (await configProvider.resolve<ResolvedSessionConfig>(
      app,
      app.config.get('session')
    ))!

    const policy: SessionPolicy = {
      rotationIntervalMs: sessionSecurity.rotationIntervalMs,
      graceWindowMs: sessionSecurity.graceWindowMs,
      absoluteLifetimeMs: sessionSecurity.absoluteLifetimeMs,
      idleTimeoutMs: string.seconds.parse(config.age) * 1000,
    }

    const families =
      config.store === 'database'
        ? new DatabaseFamilyStore(db.connection(), appKey.release(), 'sessions')
        : undefined

    return { config, families, policy }
  })()
  return runtime
}
