/**
 * The environments where debug mode (stack traces in responses) is
 * expected.
 */
const DEBUG_ENVIRONMENTS = ['development', 'test']

/**
 * The warning to log at boot when debug mode is on outside development
 * and test, or null when all is well.
 */
export function debugModeWarning(debug: boolean, nodeEnvironment: string): string | null {
  if (!debug || DEBUG_ENVIRONMENTS.includes(nodeEnvironment)) {
    return null
  }
  return (
    `Debug mode is on while NODE_ENV is "${nodeEnvironment}": error responses include stack ` +
    'traces. Set "debug = !app.inProduction" in app/exceptions/handler.ts'
  )
}
