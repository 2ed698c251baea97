import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig, stores } from '@adonisjs/session'

/**
 * Where the session families live, for each server-side store (read by
 * "kit/sessions/provider.ts"). Give each app its own table
 * and key prefix when several share a database or a Redis server.
 */
export const familyStores = {
  /**
   * SESSION_DRIVER=database: a table of the default Lucid connection.
   */
  database: {
    tableName: env.get('SESSION_TABLE', 'sessions'),
  },

  /**
   * SESSION_DRIVER=redis: keys under `keyPrefix` on a connection of
   * "config/redis.ts".
   */
  redis: {
    connection: 'main' as const,
    keyPrefix: env.get('SESSION_REDIS_PREFIX', 'sess:'),
  },
}

/**
 * Name of the cookie that holds the (encrypted) CSRF secret of visitors
 * without a session, such as a signed-out visitor shown the login form:
 * they get no session row until there is something to store (see
 * "kit/sessions/src/csrf_secret.ts"). It takes the session cookie's options
 * below; in production the "__Host-" prefix guards it as it does the
 * session cookie.
 */
export const csrfCookieName = app.inProduction ? '__Host-csrf' : 'adonis-csrf'

/**
 * Name of the session cookie (see `cookieName` below).
 */
export const sessionCookieName = app.inProduction ? '__Host-session' : 'adonis-session'

const sessionConfig = defineConfig({
  enabled: true,

  /**
   * Name of the cookie that holds the (signed) session token. In production
   * the "__Host-" prefix makes browsers refuse it unless it is Secure, has
   * Path=/ and no Domain: no subdomain can plant or read it.
   */
  cookieName: sessionCookieName,

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
   * Options for the session id cookie (and for the cookie store and the
   * CSRF cookie).
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
   * The stores the app can use. "database" and "redis" keep sessions as
   * families of rotating tokens (kit/sessions/src/database_family_store.ts,
   * kit/sessions/src/redis_family_store.ts), where `familyStores` above says;
   * "cookie" keeps the data in the cookie and cannot rotate tokens or
   * detect theft.
   *
   * The package's own database and redis stores are listed so that its
   * config validates; they are not used: they keep one record per session
   * id and can neither rotate tokens atomically nor recognise a reused one.
   */
  stores: {
    database: stores.database({ tableName: familyStores.database.tableName }),
    redis: stores.redis({ connection: familyStores.redis.connection }),
    cookie: stores.cookie(),
  },
})

export default sessionConfig
