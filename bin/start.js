/*
|--------------------------------------------------------------------------
| "npm start"
|--------------------------------------------------------------------------
|
| Plain JavaScript: it runs both in the project root (TypeScript sources)
| and in the production build, where "node ace build" copies it (see
| "metaFiles" in adonisrc.ts) next to the compiled "bin/server.js".
|
| - In the build: starts "bin/server.js".
| - In the project root, once built: starts "build/bin/server.js" from
|   the "build" folder (its .env, if any, is "build/.env").
| - In the project root, not built: says what to run, exits with 1.
|
*/

/**
 * First: an older Node.js stops with one line that says what to install.
 */
import './node_version.js'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const compiledServer = new URL('./server.js', import.meta.url)
const buildFolder = new URL('../build/', import.meta.url)
const builtServer = new URL('bin/server.js', buildFolder)

if (existsSync(compiledServer)) {
  await import(compiledServer.href)
} else if (existsSync(builtServer)) {
  console.log('[ info ] starting build/bin/server.js, the code of the last "npm run build"')
  process.chdir(fileURLToPath(buildFolder))
  await import(builtServer.href)
} else {
  console.error(
    '[ error ] There is no production build yet: run "npm run build" first, then "npm start".'
  )
  console.error('          For development, run "npm run dev".')
  process.exitCode = 1
}
