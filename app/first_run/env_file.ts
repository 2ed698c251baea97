import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { generateAppKey } from '#first_run/app_key'

/**
 * What `ensureEnvFile` did.
 */
export type EnvFileResult = 'created' | 'exists' | 'skipped'

/**
 * Creates ".env" from ".env.example" with a fresh APP_KEY when ".env" is
 * missing. An existing ".env" is never touched, and nothing is written in
 * production, where configuration must come from the environment.
 */
export function ensureEnvFile(
  appRoot: URL,
  options: { nodeEnv?: string; log?: (line: string) => void } = {}
): EnvFileResult {
  const envFile = fileURLToPath(new URL('.env', appRoot))
  const exampleFile = fileURLToPath(new URL('.env.example', appRoot))

  if (existsSync(envFile)) {
    return 'exists'
  }
  if (options.nodeEnv === 'production' || !existsSync(exampleFile)) {
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

  options.log?.('[first run] created .env from .env.example with a new APP_KEY')
  return 'created'
}

/**
 * Called by "bin/console.ts" and "bin/test.ts" before the app boots.
 *
 * - Test runs never write ".env": a missing APP_KEY gets a random key that
 *   lives only in this process (and the test process it spawns).
 * - Any other command, run from the TypeScript sources (a development
 *   checkout, not a production build), creates ".env" when missing.
 */
export function prepareEnvironment(appRoot: URL, argv: string[]) {
  if (argv[0] === 'test') {
    process.env.NODE_ENV ??= 'test'
    process.env.APP_KEY ??= generateAppKey()
    return
  }

  const runningFromSources = import.meta.url.endsWith('.ts')
  if (!runningFromSources) {
    return
  }

  ensureEnvFile(appRoot, { nodeEnv: process.env.NODE_ENV, log: (line) => console.log(line) })
}
