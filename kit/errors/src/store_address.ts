/**
 * Where a store is, for log lines and readiness messages: "host:port" (or
 * a Unix socket path). Never a password: only the host, the port and the
 * path of the settings are read.
 */

type NetworkSettings = { host?: unknown; port?: unknown; path?: unknown }

/**
 * The address of a Redis connection's settings (an entry of
 * "config/redis.ts" connections), with ioredis' defaults.
 */
export function redisAddress(settings: NetworkSettings | undefined): string | undefined {
  if (!settings) {
    return undefined
  }
  if (typeof settings.path === 'string' && settings.path) {
    return settings.path
  }
  return `${settings.host || 'localhost'}:${settings.port || 6379}`
}

/**
 * The address of a Lucid connection's settings (an entry of
 * "config/database.ts" connections) when its server is on the network
 * (PostgreSQL, MySQL); undefined for SQLite. A connection string gives
 * its host and port only.
 */
export function databaseAddress(
  settings: { client?: unknown; connection?: unknown } | undefined
): string | undefined {
  const connection = settings?.connection
  if (typeof connection === 'string') {
    try {
      const url = new URL(connection)
      return url.port ? `${url.hostname}:${url.port}` : url.hostname || undefined
    } catch {
      return undefined
    }
  }
  if (!connection || typeof connection !== 'object') {
    return undefined
  }
  const { host, port } = connection as NetworkSettings
  if (typeof host !== 'string' || !host) {
    return undefined
  }
  return port ? `${host}:${port}` : host
}

/**
 * The address of a store from the app's config: the Redis connection
 * `redisConnection` of "config/redis.ts", or the default connection of
 * "config/database.ts".
 */
export function configuredStoreAddress(
  config: { get<T>(key: string, defaultValue?: any): T },
  store: 'redis' | 'database',
  redisConnection: string
): string | undefined {
  if (store === 'redis') {
    return redisAddress(config.get(`redis.connections.${redisConnection}`))
  }
  const name = config.get<string>('database.connection')
  return databaseAddress(config.get(`database.connections.${name}`))
}
