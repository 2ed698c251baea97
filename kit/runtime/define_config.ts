import string from '@adonisjs/core/helpers/string'

/**
 * The settings of "config/shutdown.ts": how the HTTP server stops on
 * SIGTERM or SIGINT (read by `GracefulShutdown`).
 */
export type ShutdownConfig = {
  /**
   * How long the requests in flight may take to finish once the server
   * stops accepting new ones ('10s').
   */
  timeout: string
  /**
   * How long the rest (closing connections, flushing logs) may take after
   * that ('5s').
   */
  cleanupTimeout: string
}

/**
 * Validates the shutdown settings: a duration that does not parse stops
 * the boot with a message saying which, rather than the shutdown itself.
 */
export function defineConfig(config: ShutdownConfig): ShutdownConfig {
  for (const name of ['timeout', 'cleanupTimeout'] as const) {
    let milliseconds: number | undefined
    try {
      milliseconds = string.milliseconds.parse(config[name])
    } catch {}
    if (typeof milliseconds !== 'number' || !Number.isFinite(milliseconds) || milliseconds < 0) {
      throw new Error(`shutdown ${name} "${config[name]}" is not a duration (examples: "5s", "1m")`)
    }
  }
  return config
}
