import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EnvParser } from '@adonisjs/core/env'
import { generateAppKey } from '#kit/runtime/src/first_run/app_key'
import { freePort } from '#kit/runtime/src/first_run/free_port'
import { deferNotice } from '#kit/runtime/src/first_run/notices'

/**
 * A folder with no env files, relative to the app root. Test runs point
 * ENV_PATH at it once ".env.test" is loaded, so that AdonisJS' loader
 * finds no ".env" (nor ".env.local", ".env.test.local").
 */
export const NO_ENV_FILES_PATH = 'kit/testing/fixtures/no-env/'

/**
 * What `ensureEnvFile` did.
 */
export type EnvFileResult = 'created' | 'exists' | 'skipped'

/**
 * Creates ".env" from ".env.example" with a fresh APP_KEY when ".env" is
 * missing. An existing ".env" is never touched, and nothing is written in
 * production, where configuration must come from the environment, nor in
 * tests (commands that tests spawn inherit NODE_ENV=test).
 *
 * `envPath` is the folder AdonisJS reads env files from (ENV_PATH,
 * relative to the app root; the app root by default): ".env" is created
 * there, from the app root's ".env.example", when that folder exists.
 */
export function ensureEnvFile(
  appRoot: URL,
  options: { nodeEnv?: string; envPath?: string; log?: (line: string) => void } = {}
): EnvFileResult {
  const envFile = resolve(fileURLToPath(appRoot), options.envPath || '', '.env')
  const exampleFile = fileURLToPath(new URL('.env.example', appRoot))

  if (existsSync(envFile)) {
    return 'exists'
  }
  const nothingToWrite = ['production', 'test'].includes(options.nodeEnv ?? '')
  if (nothingToWrite || !existsSync(exampleFile) || !existsSync(dirname(envFile))) {
    return 'skipped'
  }

  const key = generateAppKey()
  const example = readFileSync(exampleFile, 'utf8')
  const contents = /^APP_KEY=.*$/m.test(example)
    ? example.replace(/^APP_KEY=.*$/m, `APP_KEY=${key}`)
    : `${example.trimEnd()}\nAPP_KEY=${key}\n`

  try {
    /**
     * "wx" fails when the file appeared in the meantime: two processes
     * starting at once cannot overwrite each other's key.
     */
    writeFileSync(envFile, contents, { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return 'exists'
    }
    throw error
  }

  const shownPath = options.envPath ? relative(fileURLToPath(appRoot), envFile) : '.env'
  options.log?.(`[first run] created ${shownPath} from .env.example with a new APP_KEY`)
  return 'created'
}

/**
 * Loads ".env.test" (from ENV_PATH when set, else the app root) into
 * `process.env`, the way AdonisJS loads env files: values already in the
 * environment win. Then points ENV_PATH at a folder with no env files.
 *
 * AdonisJS' loader reads ".env.test.local", ".env.test" and ".env" when
 * NODE_ENV=test, so any variable of the developer's ".env" that
 * ".env.test" does not set (SESSION_ROTATION_INTERVAL=1s, say) changed the
 * test run. Now only ".env.test" and the shell's variables count. Both
 * "node ace test" and the test process it starts call this; the second
 * call finds everything in place.
 */
export async function useTestEnvFile(appRoot: URL) {
  const envFolder = resolve(fileURLToPath(appRoot), process.env.ENV_PATH || '')
  const contents = await readFile(resolve(envFolder, '.env.test'), 'utf8').catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        return ''
      }
      throw error
    }
  )

  const values = await new EnvParser(contents, appRoot).parse()
  for (const [key, value] of Object.entries(values)) {
    if (process.env[key] === undefined) {
      process.env[key] = value
    }
  }
  process.env.ENV_PATH = NO_ENV_FILES_PATH
}

/**
 * Called by "bin/console.ts" and "bin/test.ts" before the app boots.
 *
 * - Test runs read ".env.test" only, never ".env" (see `useTestEnvFile`),
 *   and never write ".env": a missing APP_KEY gets a random key that lives
 *   only in this process (and the test process it spawns). Without PORT
 *   (in the shell or ".env.test"), the in-process server gets a free port,
 *   so a test run never collides with "npm run dev" or another run.
 * - Any other command, run from the TypeScript sources (a development
 *   checkout, not a production build), creates ".env" when missing (in
 *   ENV_PATH when set).
 */
export async function prepareEnvironment(appRoot: URL, argv: string[]) {
  if (argv[0] === 'test') {
    process.env.NODE_ENV ??= 'test'
    await useTestEnvFile(appRoot)
    process.env.APP_KEY ??= generateAppKey()
    process.env.PORT ??= String(await freePort())
    return
  }

  const runningFromSources = import.meta.url.endsWith('.ts')
  if (!runningFromSources) {
    return
  }

  /**
   * "node ace serve" clears the screen as it starts (unless --no-clear):
   * its first-run line is printed after that, by the "init" hook of
   * adonisrc.ts.
   */
  const log = argv[0] === 'serve' ? deferNotice : (line: string) => console.log(line)
  ensureEnvFile(appRoot, { nodeEnv: process.env.NODE_ENV, envPath: process.env.ENV_PATH, log })
}
