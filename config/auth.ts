import { configProvider } from '@adonisjs/core'
import { defineConfig } from '@adonisjs/auth'
import { sessionGuard } from '@adonisjs/auth/session'
import type { InferAuthenticators, InferAuthEvents, Authenticators } from '@adonisjs/auth/types'

const authConfig = defineConfig({
  /**
   * The guard used by "ctx.auth" when none is named.
   */
  default: 'web',

  guards: {
    /**
     * Session-based login: the user id is kept in the session.
     */
    web: sessionGuard({
      useRememberMeTokens: false,
      /**
       * Users are User models, loaded on every signed-in request by one
       * prepared statement on SQLite (`Model.find` elsewhere).
       */
      provider: configProvider.create(async (app) => {
        const { PreparedUserProvider } = await import('#kit/sessions')
        const db = await app.container.make('lucid.db')
        return new PreparedUserProvider({ model: () => import('#models/user') }, db)
      }),
    }),
  },
})

export default authConfig

/**
 * Inferring types from the configured auth
 * guards.
 */
declare module '@adonisjs/auth/types' {
  export interface Authenticators extends InferAuthenticators<typeof authConfig> {}
}
declare module '@adonisjs/core/types' {
  interface EventsList extends InferAuthEvents<Authenticators> {}
}
