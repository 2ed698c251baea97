import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'

/**
 * What the production build is made of: when any of these changed after
 * the build, the bench builds again.
 */
const SOURCES = [
  'adonisrc.ts',
  'package.json',
  'package-lock.json',
  'app',
  'bin',
  'commands',
  'config',
  'database',
  'kit',
  'resources',
  'start',
  'tsconfig.json',
  'tsconfig.bench.json',
]

/**
 * The newest modification time (ms) of a file or of the files below a
 * folder (results and dot-files left out).
 */
function newestChange(path: string): number {
  if (!existsSync(path)) {
    return 0
  }
  const stats = statSync(path)
  if (!stats.isDirectory()) {
    return stats.mtimeMs
  }
  return readdirSync(path)
    .filter((name) => !name.startsWith('.') && name !== 'results')
    .reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), 0)
}

/**
 * Where the bench's build goes, relative to the app root: the production
 * build ("node ace build", tsconfig.build.json) leaves the bench and the
 * test helpers out, so the bench builds the same app with them
 * ("tsconfig.bench.json") into a folder of its own.
 */
export const BENCH_BUILD = join('tmp', 'bench-build')

/**
 * Runs "node ace build --tsconfig=tsconfig.bench.json" when the bench's
 * build is missing or older than the sources, and returns its folder.
 * `env` is the bench's production environment: with it, ace does not
 * create a ".env" on a fresh checkout (its first-run step skips
 * production).
 */
export function buildIfNeeded(appRoot: string, env: Record<string, string>): string {
  const buildRoot = join(appRoot, BENCH_BUILD)
  const marker = join(buildRoot, 'kit', 'bench', 'server.js')
  const builtAt = existsSync(marker) ? statSync(marker).mtimeMs : 0
  const changedAt = Math.max(...SOURCES.map((source) => newestChange(join(appRoot, source))))

  if (builtAt > changedAt) {
    console.log(`${BENCH_BUILD}/ is up to date`)
    return buildRoot
  }

  console.log('building the app (node ace build --tsconfig=tsconfig.bench.json)')
  const build = spawnSync(process.execPath, ['ace', 'build', '--tsconfig=tsconfig.bench.json'], {
    cwd: appRoot,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  })
  if (build.status !== 0 || !existsSync(marker)) {
    throw new Error(`node ace build failed (exit code ${build.status})`)
  }
  return buildRoot
}
