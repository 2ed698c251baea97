import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, stores } from '@adonisjs/session'

const sessionConfig = defineConfig({
  enabled: true,

  /**
   * Name of the cookie that holds the (signed) session id.
   */
  cookieName: 'adonis-session',

  /**
   * When true, the session cookie is deleted when the browser closes.
   */
  clearWithBrowser: false,

  /**
   * How long a session lives without any activity (idle timeout).
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
   * The stores the app can use. "database" keeps sessions in the
   * "sessions" table of the default connection.
   */
  stores: {
    database: stores.database({ tableName: 'sessions' }),
    cookie: stores.cookie(),
  },
})

export default sessionConfig
