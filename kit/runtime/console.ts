/**
 * Console output of the runtime module, for "bin/*.ts": boot errors (an
 * invalid environment, an unknown flag) printed as "[ error ] ..." lines.
 * A separate entry: it loads the ace UI, which "bin/server.ts" only needs
 * when the boot fails.
 */

export { printBootError, useLoggerErrorStyle, envErrorText } from './src/console_errors.js'
