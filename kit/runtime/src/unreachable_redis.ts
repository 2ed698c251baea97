import type { Logger } from '@adonisjs/core/logger'
import type { RedisConnection } from '@adonisjs/redis'
import type { RedisService } from '@adonisjs/redis/types'

/**
 * Closes, without QUIT, the Redis connections that are not connected when
 * the app shuts down (a server that never answered, or stopped
 * answering). Sending QUIT on such a connection fails (commands are not
 * queued while disconnected), and with it the whole shutdown, although
 * nothing was left to flush: the process then exited with code 1 and
 * "the shutdown failed". Connected connections are left for the Redis
 * provider to quit gracefully.
 */
export function closeUnreachableRedis(redis: RedisService, logger?: Logger) {
  const connections = redis.activeConnections as Record<string, RedisConnection | undefined>
  for (const [name, connection] of Object.entries(connections)) {
    if (!connection) {
      continue
    }
    const io = connection.ioConnection as unknown as {
      status: string
      options?: { host?: string; port?: number; path?: string }
    }
    if (['ready', 'wait', 'end'].includes(io.status)) {
      continue
    }

    const { host, port, path } = io.options ?? {}
    const address = path ? String(path) : `${host ?? 'localhost'}:${port ?? 6379}`
    logger?.info(
      { event: 'store.closed_unreachable', store: 'redis', address, status: io.status },
      `redis at ${address} is not connected: its connection is closed without QUIT`
    )
    /**
     * A connection waiting to reconnect never reaches the "end" status
     * that tells the Redis manager it is closed: it is forgotten here.
     */
    connection.disconnect()
    delete connections[name]
  }
}
