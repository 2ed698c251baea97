/*
|--------------------------------------------------------------------------
| JavaScript entrypoint for running ace commands
|--------------------------------------------------------------------------
|
| DO NOT MODIFY THIS FILE AS IT WILL BE OVERRIDDEN DURING THE BUILD
| PROCESS.
|
| Node cannot run the TypeScript sources by itself, so this file
| registers the "@poppinss/ts-exec" loader (SWC) with Node's module
| system and then imports the "bin/console.ts" file.
|
*/

/**
 * First, with nothing imported yet: an older Node.js stops here with one
 * line that says which version to install (everything below is imported
 * dynamically, after the check, since it needs Node.js 24 to even load).
 */
import './bin/node_version.js'

/**
 * Keep V8's compiled code of the modules an ace command loads in Node's
 * compile cache (a folder under the system's temporary directory), so
 * that the next command does not compile them again. Node.js checks each
 * entry against the module's source: an edited file is compiled afresh.
 */
const { enableCompileCache } = await import('node:module')
enableCompileCache()

/**
 * Register the hook that compiles TypeScript files on import
 */
await import('@poppinss/ts-exec')

/**
 * Import ace console entrypoint
 */
await import('./bin/console.js')
