/*
|--------------------------------------------------------------------------
| Wall time of "node ace make:exception" (npm run bench:ace)
|--------------------------------------------------------------------------
|
| Runs each command BENCH_RUNS times (default 5), round-robin, and prints
| the median, min and max wall time of each:
|
| - "node -e 0": starting Node.js alone;
| - "node ace list": booting ace (TypeScript loading included);
| - core's make:exception, run through this file's "--core-ace" mode: the
|   app's ace entry point (as bin/console.ts) with core's command put back
|   in place of ours;
| - our make:exception, plain and with every flag.
|
| BENCH_LOADERS (comma-separated "--import" specifiers, for example
| "@poppinss/ts-exec,tsx") adds rows that run bin/console.ts
| under each loader, to compare TypeScript loaders. BENCH_NODE runs every
| command with another Node.js binary.
|
| Files are generated under app/exceptions/bench_probe_<pid>/ and removed
| after each run. Not a test: nothing is asserted.
|
*/

import 'reflect-metadata'
import { cpus } from 'node:os'
import { existsSync } from 'node:fs'
import { rm, rmdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { spawnSync } from 'node:child_process'

const APP_ROOT = new URL('../../', import.meta.url)
const APP_PATH = fileURLToPath(APP_ROOT)
const NODE = process.env.BENCH_NODE || process.execPath
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS || 5))
const PROBE = `bench_probe_${process.pid}`
const TS_LOADER = '@poppinss/ts-exec'

/**
 * One command to time: `node <args>`; `generates` when it writes into the
 * probe folder (removed after each run).
 */
type Case = { label: string; args: string[]; generates?: boolean }

/**
 * The "--core-ace" mode: bin/console.ts with core's make:exception loaded
 * last, so that it replaces ours.
 */
async function runCoreAce(argv: string[]) {
  const { Ignitor, prettyPrintError } = await import('@adonisjs/core')
  const { ListLoader } = await import('@adonisjs/core/ace')
  const { default: CoreMakeException } = await import('@adonisjs/core/commands/make/exception')
  const { prepareEnvironment } = await import('#kit/runtime/src/first_run/env_file')

  /**
   * The app's stubs folder is searched first, and it holds our
   * "make/exception/main.stub": point core's command at its own stub
   * (a path relative to the app's stubs folder).
   */
  class CoreStubMakeException extends CoreMakeException {
    stubPath = '../node_modules/@adonisjs/core/build/make/exception/main.stub'
  }

  prepareEnvironment(APP_ROOT, argv)
  await new Ignitor(APP_ROOT, {
    importer: (filePath: string) =>
      filePath.startsWith('./') || filePath.startsWith('../')
        ? import(new URL(filePath, APP_ROOT).href)
        : import(filePath),
  })
    .tap((app) => {
      app.booting(async () => {
        await import('#start/env')
      })
    })
    .ace()
    .configure(async (app) => {
      const kernel = await app.container.make('ace')
      kernel.addLoader(new ListLoader([CoreStubMakeException]))
    })
    .handle(argv)
    .catch((error) => {
      process.exitCode = 1
      prettyPrintError(error)
    })
}

/**
 * The commands to time.
 */
function cases(): Case[] {
  const list: Case[] = [
    { label: 'node -e 0', args: ['-e', '0'] },
    { label: 'node ace list', args: ['ace.js', 'list'] },
    {
      label: "core's make:exception X",
      args: [
        `--import=${TS_LOADER}`,
        'kit/bench/make_exception.ts',
        '--core-ace',
        'make:exception',
      ],
      generates: true,
    },
    { label: 'our make:exception X', args: ['ace.js', 'make:exception'], generates: true },
    {
      label: 'our make:exception X --handle --report --test',
      args: ['ace.js', 'make:exception', '--handle', '--report', '--test'],
      generates: true,
    },
  ]

  const loaders = (process.env.BENCH_LOADERS || '').split(',').filter(Boolean)
  for (const loader of loaders) {
    list.push(
      { label: `[${loader}] list`, args: [`--import=${loader}`, 'bin/console.ts', 'list'] },
      {
        label: `[${loader}] our make:exception X`,
        args: [`--import=${loader}`, 'bin/console.ts', 'make:exception'],
        generates: true,
      }
    )
  }
  return list
}

/**
 * GNU time, when installed, also gives the CPU time (user + system) of
 * each run: steadier than wall time on a busy machine.
 */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null

/**
 * Runs one case once: its wall time and (with GNU time) CPU time, in
 * milliseconds.
 */
function time(benchCase: Case, run: number): { wall: number; cpu: number | null } {
  const args = benchCase.generates ? insertName(benchCase.args, run) : benchCase.args
  const startedAt = process.hrtime.bigint()
  const result = GNU_TIME
    ? spawnSync(GNU_TIME, ['-f', 'cpu-seconds %U %S', NODE, ...args], {
        cwd: APP_PATH,
        encoding: 'utf8',
      })
    : spawnSync(NODE, args, { cwd: APP_PATH, encoding: 'utf8' })
  const wall = Number(process.hrtime.bigint() - startedAt) / 1e6

  if (result.status !== 0) {
    throw new Error(`"node ${args.join(' ')}" failed:\n${result.stdout}${result.stderr}`)
  }
  const cpu = result.stderr.match(/cpu-seconds ([\d.]+) ([\d.]+)\s*$/)
  return { wall, cpu: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null }
}

/**
 * Puts the exception name right after "make:exception".
 */
function insertName(args: string[], run: number): string[] {
  const index = args.indexOf('make:exception')
  if (index === -1) {
    return args
  }
  return [...args.slice(0, index + 1), `${PROBE}/BenchRun${run}`, ...args.slice(index + 1)]
}

/**
 * Removes what the generating runs wrote.
 */
async function cleanUp(hadSpecsFolder: boolean) {
  await rm(new URL(`app/exceptions/${PROBE}`, APP_ROOT), { recursive: true, force: true })
  await rm(new URL(`tests/unit/exceptions/${PROBE}`, APP_ROOT), { recursive: true, force: true })
  if (!hadSpecsFolder) {
    await rmdir(new URL('tests/unit/exceptions', APP_ROOT)).catch(() => {})
  }
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

async function main() {
  const version = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()
  const hadSpecsFolder = existsSync(new URL('tests/unit/exceptions', APP_ROOT))
  const list = cases()
  const timings = new Map<Case, { wall: number[]; cpu: number[] }>(
    list.map((benchCase) => [benchCase, { wall: [], cpu: [] }])
  )

  try {
    /**
     * One warm-up run of each (file system cache), not counted.
     */
    for (const benchCase of list) {
      time(benchCase, 0)
      await cleanUp(hadSpecsFolder)
    }
    for (let run = 1; run <= RUNS; run++) {
      for (const benchCase of list) {
        const { wall, cpu } = time(benchCase, run)
        timings.get(benchCase)!.wall.push(wall)
        if (cpu !== null) {
          timings.get(benchCase)!.cpu.push(cpu)
        }
        await cleanUp(hadSpecsFolder)
      }
    }
  } finally {
    await cleanUp(hadSpecsFolder)
  }

  console.log(`node ${version}, ${cpus().length} CPUs, ${RUNS} runs each, medians (min-max)`)
  const width = Math.max(...list.map(({ label }) => label.length))
  const ms = (values: number[]) =>
    values.length
      ? `${Math.round(median(values))}`.padStart(5) +
        ` ms (${Math.round(Math.min(...values))}-${Math.round(Math.max(...values))})`.padEnd(16)
      : '    -'
  console.log(`${''.padEnd(width)}  ${'wall time'.padEnd(24)}  cpu time (user+sys)`)
  for (const [benchCase, { wall, cpu }] of timings) {
    console.log(`${benchCase.label.padEnd(width)}  ${ms(wall)}  ${ms(cpu)}`.trimEnd())
  }

  /**
   * The target: "node ace make:exception Name" within 8 times the wall
   * time of starting Node.js alone (medians).
   */
  const wallOf = (label: string) =>
    median([...timings].find(([benchCase]) => benchCase.label === label)?.[1].wall ?? [])
  const ratio = wallOf('our make:exception X') / wallOf('node -e 0')
  const verdict = ratio <= 8 ? 'met' : 'missed'
  console.log(`\nour make:exception X / node -e 0: ${ratio.toFixed(1)}x (target <= 8x: ${verdict})`)
}

if (process.argv[2] === '--core-ace') {
  await runCoreAce(process.argv.slice(3))
} else {
  await main()
}
