/*
|--------------------------------------------------------------------------
| The Node.js version check
|--------------------------------------------------------------------------
|
| Plain JavaScript that any Node.js version can load. "ace.js",
| "bin/start.js", "bin/server.ts" and "bin/console.ts" import it first,
| before anything that needs a recent Node.js: importing it runs the check,
| so that an older Node.js prints one line that says what to do instead of
| a SyntaxError from deep inside a module. ".nvmrc" and
| "engines" in package.json name the same major (a check spec keeps them
| in step).
|
*/

/**
 * The oldest major version of Node.js the app runs on.
 */
export const REQUIRED_NODE_MAJOR = 24

/**
 * The line to print when `version` (such as "v20.11.1") is too old, or
 * undefined when it is recent enough.
 */
export function nodeVersionProblem(version) {
  const major = Number(version.replace(/^v/, '').split('.')[0])
  if (major >= REQUIRED_NODE_MAJOR) {
    return undefined
  }
  return (
    `[ error ] This app needs Node.js ${REQUIRED_NODE_MAJOR} or newer, and this is Node.js ${version}: ` +
    `run "nvm install" (or "nvm use" once installed), which reads .nvmrc, or install Node.js ` +
    `${REQUIRED_NODE_MAJOR} from https://nodejs.org`
  )
}

/**
 * Stops the process with code 1 and the line above when the running
 * Node.js is too old.
 */
const problem = nodeVersionProblem(process.version)
if (problem) {
  console.error(problem)
  process.exit(1)
}
