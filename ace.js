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
 * Keep V8's compiled code of the modules an ace command loads in Node's
 * compile cache (a folder under the system's temporary directory), so
 * that the next command does not compile them again. Node.js checks each
 * entry against the module's source: an edited file is compiled afresh.
 */
import { enableCompileCache } from 'node:module'
enableCompileCache()

/**
 * Register the hook that compiles TypeScript files on import
 */
import '@poppinss/ts-exec'

/**
 * Import ace console entrypoint
 */
await import('./bin/console.js')
