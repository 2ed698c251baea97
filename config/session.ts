import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, stores } from '@adonisjs/session'

const sessionConfig = defineConfig({
  enabled: true,

  /**
   * Name of the cookie that holds the (signed) session token. In production
   * the "__Host-" prefix makes browsers refuse it unless it is Secure, has
   * Path=/ and no Domain: no subdomain can plant or read it.
   */
  cookieName: app.inProduction ? '__Host-session' : 'adonis-session',

  /**
   * When true, the session cookie is deleted when the browser closes.
   */
  clearWithBrowser: false,

  /**
   * How long a session lives without any activity (idle timeout). Token
   * rotation and the absolute lifetime are in "config/session_security.ts".
   */
  age: '2h',

  /**
   * Options for the session id cookie (and for the cookie store).
   */
  cookie: {
    path: '/',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },

  /**
   * The store in use, from SESSION_DRIVER (validated in "start/env.ts").
   */
  store: env.get('SESSION_DRIVER'),

  /**
   * The stores the app can use. "database" keeps sessions, as families of
   * rotating tokens, in the "sessions" table of the default connection
   * (app/session/database_family_store.ts); "cookie" keeps the data in the
   * cookie and cannot rotate tokens or detect theft.
   */
  stores: {
    database: stores.database({ tableName: 'sessions' }),
    cookie: stores.cookie(),
  },
})

export default sessionConfig
