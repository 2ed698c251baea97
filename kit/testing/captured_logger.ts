import { Logger } from '@adonisjs/core/logger'
import loggerConfig from '#config/logger'

/**
 * A logger built from the app's own "config/logger.ts" settings (level
 * aside), writing JSON lines to memory instead of stdout: what the app
 * would log, ready to assert on.
 */
export function capturedLogger() {
  const lines: Record<string, any>[] = []
  const logger = new Logger({
    ...loggerConfig.loggers.app,
    transport: undefined,
    level: 'trace',
    desination: { write: (line: string) => lines.push(JSON.parse(line)) },
  })
  return { logger, lines }
}
