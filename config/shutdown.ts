import env from '#start/env'
import { defineConfig } from '#kit/runtime'

/**
 * How the HTTP server stops on SIGTERM or SIGINT (see
 * the runtime module's `GracefulShutdown`).
 */
const shutdownConfig = defineConfig({
  /**
   * How long the requests in flight may take to finish once the server
   * stops accepting new ones. The connections still open after it are
   * closed. Keep it under your platform's kill timeout (Kubernetes sends
   * SIGKILL 30 seconds after SIGTERM by default).
   */
  timeout: env.get('SHUTDOWN_TIMEOUT', '10s'),

  /**
   * How long the rest (closing the database and Redis connections,
   * flushing the logs) may take after that. Past it, the process exits
   * with code 1 anyway.
   */
  cleanupTimeout: '5s',
})

export default shutdownConfig
