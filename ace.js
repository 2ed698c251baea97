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
 * Register the hook that compiles TypeScript files on import
 */
import '@poppinss/ts-exec'

/**
 * Import ace console entrypoint
 */
await import('./bin/console.js')
