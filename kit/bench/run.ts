/*
|--------------------------------------------------------------------------
| What every error path and the session middleware cost (npm run bench)
|--------------------------------------------------------------------------
|
| Builds the app with the bench (into "tmp/bench-build/", see
| "kit/bench/helpers/build.ts") when that build is older than the sources, starts the
| production server ("kit/bench/server.ts": the app plus a throwing route) on
| 127.0.0.1 with a fresh SQLite database, and drives it with autocannon
| from this process. The Redis rows run on a server with
| SESSION_DRIVER=redis (skipped when Redis does not answer). A bare
| node:http server answering the same bytes ("kit/bench/floor_server.ts")
| is measured in the same run, as the floor; beside route 7, so is AdonisJS
| alone answering the same 404 ("kit/bench/framework_server.ts").
| With taskset and two cores or more, the servers run on the last core and
| autocannon on the others ("kit/bench/helpers/cpu_pinning.ts").
|
| Prints a table (also written to "kit/bench/results/latest.md"): requests/s,
| p50 and p99 latency, unexpected answers, and the share of route 1's and
| of the floor's requests/s, beside the share of route 1 of an earlier run
| ("kit/bench/baseline.json"). Then a flood of error requests without
| cookies: RSS, session rows and log lines before and after.
|
| Flags (all optional):
|   --runs N         run everything N times and report medians (1)
|   --duration S     seconds each route is measured (10)
|   --warmup S       seconds each route runs before it is measured (2)
|   --connections N  concurrent connections (10)
|   --flood N        requests in the flood; 0 skips it (100000)
|   --routes LIST    only these routes, e.g. "1,6,8" (route 1 is always run)
|   --cpu-prof       write CPU profiles of the app server to
|                    tmp/bench-profiles/ and print where the time went
|   --results DIR    where latest.md and the raw JSON go (bench/results)
|   --reference DIR  the production build of another AdonisJS app (its
|                    bin/server.js, dependencies installed): its JSON 404
|                    is measured beside route 7 and its floor (for
|                    example the official starter kit's, see
|                    docs/performance.md)
|
| Not a test: nothing is asserted. The targets are reported.
|
*/

import { cpus } from 'node:os'
import { connect } from 'node:net'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { fork } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join, resolve as resolvePath } from 'node:path'
import { tmpdir } from 'node:os'
import { generateAppKey } from '#kit/runtime/src/first_run/app_key'
// The two helpers that need no booted app (the entry "#kit/testing" loads
// helpers that use the app's database service)
import { freePort } from '#kit/runtime/src/first_run/free_port'
import { csrfTokenOf, sendTo, sessionCookieOf, signIn } from '#kit/testing/sign_in'
import { totpCode } from '#kit/mfa'
import { SCENARIOS, ACCEPT_HEADERS, type Scenario } from '#kit/bench/scenarios'
import { BENCH_BUILD, buildIfNeeded } from '#kit/bench/helpers/build'
import { AppServer } from '#kit/bench/helpers/app_server'
import { load, type LoadResult } from '#kit/bench/helpers/load'
import { pinLoadGenerator, pinServer } from '#kit/bench/helpers/cpu_pinning'
import { summarizeProfile } from '#kit/bench/helpers/cpu_profile'
import {
  medianRun,
  readBaseline,
  toMarkdown,
  type RouteFigures,
  type RunFigures,
  type RunSettings,
} from '#kit/bench/helpers/report'

const APP_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const DEFAULT_RESULTS = join(APP_ROOT, 'kit', 'bench', 'results')
const PROFILES = join(APP_ROOT, 'tmp', 'bench-profiles')

/**
 * The database of the bench servers, relative to the bench's build.
 */
const DATABASE = 'tmp/bench.sqlite3'

/**
 * The signed-in user: a non-admin, so /admin answers 403.
 */
const USER = 'demo@example.com'

/**
 * The baseline route: every other route is measured against it.
 */
const ROUTE_1 = SCENARIOS.find((scenario) => scenario.number === 1)!

/**
 * Reads and checks the flags; a wrong one stops the bench before it does
 * anything.
 */
function readSettings() {
  const { values } = parseArgs({
    strict: true,
    options: {
      'runs': { type: 'string', default: '1' },
      'duration': { type: 'string', default: '10' },
      'warmup': { type: 'string', default: '2' },
      'connections': { type: 'string', default: '10' },
      'flood': { type: 'string', default: '100000' },
      'routes': { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'results': { type: 'string', default: DEFAULT_RESULTS },
      'reference': { type: 'string' },
    },
  })

  const whole = (name: keyof typeof values, min: number) => {
    const value = Number(values[name])
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`--${name} must be a whole number >= ${min} (got "${values[name]}")`)
    }
    return value
  }

  const settings: RunSettings = {
    runs: whole('runs', 1),
    duration: whole('duration', 1),
    warmup: whole('warmup', 0),
    connections: whole('connections', 1),
    flood: whole('flood', 0),
    pinning: pinLoadGenerator(),
  }

  if (values.reference !== undefined) {
    const reference = resolvePath(values.reference)
    if (!existsSync(join(reference, 'bin', 'server.js'))) {
      throw new Error(`--reference must be an app build with bin/server.js (got "${reference}")`)
    }
    settings.reference = reference
  }

  let scenarios = SCENARIOS
  if (values.routes !== undefined) {
    const numbers = values.routes.split(',').map((part) => Number(part.trim()))
    const unknown = numbers.filter((number) => !SCENARIOS.some((s) => s.number === number))
    if (unknown.length || numbers.length === 0) {
      throw new Error(
        `--routes takes numbers from 1 to ${SCENARIOS.length} (got "${values.routes}")`
      )
    }
    scenarios = SCENARIOS.filter((s) => s.number === 1 || numbers.includes(s.number))
  }

  return { settings, scenarios, cpuProf: values['cpu-prof']!, results: values.results! }
}

/**
 * Starts one of the bench's own servers ("floor_server.js" or
 * "framework_server.js" of the build) with the given bodies; resolves with
 * its URL and a function that stops it.
 */
async function startForked(file: string, bodies: Record<string, string>, settings: RunSettings) {
  const child = fork(join(APP_ROOT, BENCH_BUILD, 'kit', 'bench', file), [], {
    env: { PATH: process.env.PATH! },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  pinServer(settings.pinning, child.pid!)
  const port = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: string) => resolve(message.split(' ')[1]))
    child.once('exit', (code) => reject(new Error(`${file} exited (${code})`)))
    child.send(bodies)
  })
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => {
      child.removeAllListeners('exit')
      child.kill()
    },
  }
}

/**
 * Starts the reference app of `--reference` in production, on the
 * servers' core, with the environment an AdonisJS 7 starter kit asks
 * for (cookie sessions, no .env file read).
 */
async function startReference(settings: RunSettings) {
  const port = await freePort()
  const emptyEnvFolder = await mkdtemp(join(tmpdir(), 'bench-reference-env-'))
  const reference = await AppServer.start(
    settings.reference!,
    {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'info',
      APP_KEY: generateAppKey(),
      SESSION_DRIVER: 'cookie',
      ENV_PATH: `${emptyEnvFolder}/`,
    },
    [],
    'bin/server.js'
  )
  pinServer(settings.pinning, reference.pid)
  return reference
}

/**
 * Signs the demo user in once per connection.
 */
function signInEach(server: AppServer, connections: number) {
  return Promise.all(
    Array.from({ length: connections }, async () => {
      const { cookie } = await signIn(sendTo(server.url), USER)
      return cookie
    })
  )
}

/**
 * Signs in one user with an authenticator app per connection (made by the
 * bench route `/__bench__/mfa-users`), each passing the challenge with a
 * code of its secret, as a browser does; returns the session cookies the
 * challenge rotated to.
 */
async function signInWithSecondFactorEach(server: AppServer, connections: number) {
  const send = sendTo(server.url)
  const made = await send(`/__bench__/mfa-users?count=${connections}`, {
    headers: { accept: 'application/json' },
  })
  const { users } = (await made.json()) as { users: { email: string; secret: string }[] }
  return Promise.all(
    users.map(async ({ email, secret }) => {
      const { cookie } = await signIn(send, email)
      const page = await send('/mfa/challenge', { headers: { accept: 'text/html', cookie } })
      const passed = await send('/mfa/challenge', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({
          _csrf: csrfTokenOf(await page.text()),
          code: totpCode(secret, Date.now()),
        }),
      })
      const rotated = sessionCookieOf(passed)
      if (passed.status !== 302 || !rotated) {
        throw new Error(`The challenge of ${email} failed: ${passed.status}`)
      }
      return rotated
    })
  )
}

/**
 * Drives one route of a server for `duration` seconds (signed in first
 * when the route needs it).
 */
async function drive(
  server: AppServer,
  scenario: Scenario,
  settings: RunSettings,
  duration: number
) {
  const cookies = scenario.secondFactor
    ? await signInWithSecondFactorEach(server, settings.connections)
    : scenario.signedIn
      ? await signInEach(server, settings.connections)
      : undefined
  return load(server.url, {
    requests: [{ path: scenario.path, headers: { accept: ACCEPT_HEADERS[scenario.accept] } }],
    expectedStatuses: [scenario.expectedStatus],
    connections: settings.connections,
    duration,
    cookies,
    followCookies: scenario.rotateEveryRequest,
  })
}

/**
 * Warms a route up, then measures it. Every route but route 1 is
 * bracketed by route 1 on the same server (half the duration before it,
 * half after): its share of route 1 divides by that, measured in the same
 * conditions. On this machine the speed of a route moved by up to half
 * from one minute to the next; route 1, measured once at the start,
 * sometimes ran slower than the 401 route measured after it.
 */
async function measureRoute(
  server: AppServer,
  scenario: Scenario,
  settings: RunSettings
): Promise<RouteFigures> {
  if (settings.warmup > 0) {
    await drive(server, scenario, settings, settings.warmup)
  }
  if (scenario.number === ROUTE_1.number) {
    const figures = await drive(server, scenario, settings, settings.duration)
    console.log(`route 1: ${Math.round(figures.requestsPerSecond)} req/s, p99 ${figures.p99} ms`)
    return {
      ...figures,
      scenario,
      route1RequestsPerSecond: figures.requestsPerSecond,
      shareOfRoute1: 1,
    }
  }

  const bracket = Math.max(1, Math.round(settings.duration / 2))
  const before = await drive(server, ROUTE_1, settings, bracket)
  const figures = await drive(server, scenario, settings, settings.duration)
  const after = await drive(server, ROUTE_1, settings, bracket)
  const route1RequestsPerSecond = (before.requestsPerSecond + after.requestsPerSecond) / 2
  console.log(
    `route ${scenario.number}: ${Math.round(figures.requestsPerSecond)} req/s, ` +
      `p99 ${figures.p99} ms, ${figures.unexpected} unexpected` +
      (scenario.rotateEveryRequest ? `, ${figures.newCookies} rotations seen` : '') +
      ` (route 1 around it: ${Math.round(route1RequestsPerSecond)} req/s)`
  )
  return {
    ...figures,
    scenario,
    route1RequestsPerSecond,
    shareOfRoute1: figures.requestsPerSecond / route1RequestsPerSecond,
  }
}

/**
 * Measures the floor server on both bodies.
 */
async function measureFloor(url: string, settings: RunSettings) {
  const measure = async (path: string) => {
    const options = { requests: [{ path, headers: {} }], expectedStatuses: [200] }
    await load(url, { ...options, connections: settings.connections, duration: settings.warmup })
    return load(url, { ...options, connections: settings.connections, duration: settings.duration })
  }
  const json = await measure('/json')
  const html = await measure('/html')
  console.log(
    `node:http floor: ${Math.round(json.requestsPerSecond)} req/s JSON, ` +
      `${Math.round(html.requestsPerSecond)} req/s HTML`
  )
  return { json, html }
}

/**
 * Route 7 against its floor: the floor server answering route 7's own body
 * with a 404, then AdonisJS alone ("kit/bench/framework_server.ts"), then
 * (with `--reference`) the reference app's JSON 404, then route 7, then
 * the same servers again in reverse order. The servers around the route
 * run half the duration before and half after it, so every figure comes
 * from the same minute: the speed of this machine moves by up to half from
 * one minute to the next.
 */
async function measureNotFoundFloor(
  server: AppServer,
  urls: { floor: string; framework: string },
  reference: AppServer | undefined,
  settings: RunSettings
): Promise<NonNullable<RunFigures['notFound']>> {
  const half = Math.max(1, Math.round(settings.duration / 2))
  const json = { accept: ACCEPT_HEADERS.json }
  const drive404 = (url: string, path: string, duration: number) =>
    load(url, {
      requests: [{ path, headers: json }],
      expectedStatuses: [404],
      connections: settings.connections,
      duration,
    })
  const around: { url: string; path: string }[] = [
    { url: urls.floor, path: '/json404' },
    { url: urls.framework, path: '/no-such-page' },
    ...(reference ? [{ url: reference.url, path: '/no-such-page' }] : []),
  ]

  if (settings.warmup > 0) {
    for (const { url, path } of around) {
      await drive404(url, path, settings.warmup)
    }
  }
  const before: number[] = []
  for (const { url, path } of around) {
    const result = await drive404(url, path, half)
    before.push(result.requestsPerSecond)
  }
  const route = await drive404(server.url, '/no-such-page', settings.duration)
  const after: number[] = []
  for (const { url, path } of [...around].reverse()) {
    const result = await drive404(url, path, half)
    after.unshift(result.requestsPerSecond)
  }
  const mean = (index: number) => (before[index] + after[index]) / 2

  const figures = {
    floor: mean(0),
    framework: mean(1),
    route: route.requestsPerSecond,
    reference: reference ? mean(2) : undefined,
  }
  console.log(
    `route 7 vs its floor: ${Math.round(figures.route)} req/s, floor ` +
      `${Math.round(figures.floor)} req/s, AdonisJS alone ${Math.round(figures.framework)} req/s` +
      (figures.reference === undefined ? '' : `, reference ${Math.round(figures.reference)} req/s`)
  )
  return figures
}

/**
 * True for the reporting throttle's "suppressed" line about route 8's
 * errors: it is written when route 8's minute ends, which can fall during
 * the flood; it is not a line the flood caused.
 */
function isRoute8Summary(line: string) {
  return line.includes('suppressed') && line.includes('/__bench__/boom')
}

/**
 * Sends `amount` error requests without cookies: 404s on paths never
 * seen before (HTML and JSON) and 401s (JSON and HTML), in turn.
 */
async function flood(server: AppServer, amount: number, settings: RunSettings) {
  let counter = 0
  const missingPath = () => `/flood/${++counter}`
  const before = await server.stats()
  server.captureLines()

  const figures = await load(server.url, {
    requests: [
      { path: missingPath, headers: { accept: ACCEPT_HEADERS.html } },
      { path: '/api/me', headers: { accept: ACCEPT_HEADERS.json } },
      { path: missingPath, headers: { accept: ACCEPT_HEADERS.json } },
      { path: '/dashboard', headers: { accept: ACCEPT_HEADERS.html } },
    ],
    expectedStatuses: [404, 401, 303],
    connections: settings.connections,
    amount,
  })

  // Lets the log lines of the last requests reach us.
  await new Promise((resolve) => setTimeout(resolve, 500))
  const after = await server.stats()
  console.log(
    `flood: ${figures.requests} requests, RSS ${before.rss} -> ${after.rss}, ` +
      `session rows ${before.sessionRows} -> ${after.sessionRows}`
  )
  return {
    requests: figures.requests,
    requestsPerSecond: figures.requestsPerSecond,
    unexpected: figures.unexpected,
    rssBefore: before.rss,
    rssAfter: after.rss,
    rowsBefore: before.sessionRows,
    rowsAfter: after.sessionRows,
    logLines: server.capturedLines().filter((line) => !isRoute8Summary(line)).length,
  }
}

/**
 * Where the Redis rows find Redis (as "config/redis.ts" does).
 */
const REDIS = {
  host: process.env.REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.REDIS_PORT ?? 6379),
}

/**
 * True when something accepts connections where Redis should be (within
 * a second).
 */
function redisAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(REDIS.port, REDIS.host)
    const done = (answers: boolean) => {
      socket.destroy()
      resolve(answers)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/**
 * One run: the floor, every route, then the flood.
 */
async function runOnce(
  buildRoot: string,
  env: Record<string, string>,
  scenarios: Scenario[],
  settings: RunSettings,
  cpuProf: boolean
): Promise<RunFigures> {
  const nodeFlags = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${PROFILES}`] : []
  const start = async (extra: Record<string, string> = {}) => {
    const server = await AppServer.start(
      buildRoot,
      { ...env, PORT: String(await freePort()), ...extra },
      nodeFlags
    )
    pinServer(settings.pinning, server.pid)
    return server
  }

  const server = await start()
  const routes: RouteFigures[] = []
  let route8LogLines: number | undefined
  let floodFigures: RunFigures['flood']
  let floorFigures: { json: LoadResult; html: LoadResult }

  let notFound: RunFigures['notFound']

  try {
    const health = await fetch(`${server.url}/health`)
    const home = await fetch(`${server.url}/`, { headers: { accept: 'text/html' } })
    const missing = await fetch(`${server.url}/no-such-page`, {
      headers: { accept: ACCEPT_HEADERS.json },
    })
    const bodies = {
      json: await health.text(),
      html: await home.text(),
      json404: await missing.text(),
    }
    const floor = await startForked('floor_server.js', bodies, settings)
    const framework = await startForked('framework_server.js', bodies, settings)
    const reference = settings.reference ? await startReference(settings) : undefined
    try {
      floorFigures = await measureFloor(floor.url, settings)

      for (const scenario of scenarios.filter((s) => !s.rotateEveryRequest && !s.redis)) {
        const linesBefore = server.linesWritten
        routes.push(await measureRoute(server, scenario, settings))
        if (scenario.number === 8) {
          route8LogLines = server.linesWritten - linesBefore
        }
        if (scenario.number === 7) {
          notFound = await measureNotFoundFloor(
            server,
            { floor: floor.url, framework: framework.url },
            reference,
            settings
          )
        }
      }
    } finally {
      floor.stop()
      framework.stop()
      await reference?.stop()
    }

    if (settings.flood > 0) {
      floodFigures = await flood(server, settings.flood, settings)
    }
  } finally {
    await server.stop()
  }

  /**
   * The worst case runs on a server of its own, which rotates the token
   * of a session on every request it sees.
   */
  const rotating = scenarios.filter((s) => s.rotateEveryRequest && !s.redis)
  if (rotating.length) {
    const rotatingServer = await start({
      SESSION_ROTATION_INTERVAL: '1ms',
      SESSION_ROTATION_GRACE: '0s',
    })
    try {
      for (const scenario of rotating) {
        routes.push(await measureRoute(rotatingServer, scenario, settings))
      }
    } finally {
      await rotatingServer.stop()
    }
  }

  /**
   * The Redis rows: a server with sessions in Redis (under a key prefix of
   * its own), and one more that also rotates on every request.
   */
  const onRedis = scenarios.filter((s) => s.redis)
  if (onRedis.length && !(await redisAnswers())) {
    console.log(`Redis does not answer at ${REDIS.host}:${REDIS.port}: the Redis rows are skipped`)
  } else {
    for (const rotate of [false, true]) {
      const group = onRedis.filter((s) => Boolean(s.rotateEveryRequest) === rotate)
      if (!group.length) {
        continue
      }
      const redisServer = await start({
        SESSION_DRIVER: 'redis',
        SESSION_REDIS_PREFIX: `bench-${process.pid}-${Date.now()}:`,
        ...(rotate ? { SESSION_ROTATION_INTERVAL: '1ms', SESSION_ROTATION_GRACE: '0s' } : {}),
      })
      try {
        for (const scenario of group) {
          routes.push(await measureRoute(redisServer, scenario, settings))
        }
      } finally {
        await redisServer.stop()
      }
    }
  }

  return { floor: floorFigures!, routes, route8LogLines, flood: floodFigures, notFound }
}

/**
 * Prints where the CPU time of the profiled servers went.
 */
async function printProfiles() {
  const files = await readdir(PROFILES)
  for (const file of files.filter((name) => name.endsWith('.cpuprofile'))) {
    console.log(['', ...summarizeProfile(join(PROFILES, file), APP_ROOT)].join('\n'))
  }
}

async function main() {
  const { settings, scenarios, cpuProf, results } = readSettings()
  const emptyEnvFolder = await mkdtemp(join(tmpdir(), 'bench-env-'))

  /**
   * The production environment of the bench servers. No .env file is
   * read: ENV_PATH points to an empty folder.
   */
  const env = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    APP_KEY: generateAppKey(),
    SESSION_DRIVER: 'database',
    DB_SQLITE_FILE: DATABASE,
    ENV_PATH: `${emptyEnvFolder}/`,
    /**
     * The bench signs many sessions in at once, all from 127.0.0.1: the
     * sign-in throttle would refuse the attempts beyond its per-IP limit.
     */
    THROTTLE_ACCOUNT_ATTEMPTS: '100000',
    THROTTLE_IP_ATTEMPTS: '100000',
  }

  const databaseFiles = ['', '-wal', '-shm'].map((suffix) =>
    join(APP_ROOT, BENCH_BUILD, DATABASE + suffix)
  )

  if (cpuProf) {
    await rm(PROFILES, { recursive: true, force: true })
    await mkdir(PROFILES, { recursive: true })
  }

  const runs: RunFigures[] = []
  try {
    const buildRoot = buildIfNeeded(APP_ROOT, env)
    for (let run = 1; run <= settings.runs; run++) {
      console.log(`\nrun ${run} of ${settings.runs}`)
      await Promise.all(databaseFiles.map((file) => rm(file, { force: true })))
      // The demo users are seeded in "development" (the seeder's own rule).
      await AppServer.ace(buildRoot, ['migration:run', '--force'], env)
      await AppServer.ace(buildRoot, ['db:seed'], { ...env, NODE_ENV: 'development' })
      runs.push(await runOnce(buildRoot, env, scenarios, settings, cpuProf))
    }
  } finally {
    await Promise.all(databaseFiles.map((file) => rm(file, { force: true })))
    await rm(emptyEnvFolder, { recursive: true, force: true })
  }

  const report = toMarkdown(
    medianRun(runs),
    settings,
    readBaseline(join(APP_ROOT, 'kit', 'bench', 'baseline.json'))
  )
  await mkdir(results, { recursive: true })
  await writeFile(join(results, 'latest.md'), report)
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  await writeFile(
    join(results, `${stamp}.json`),
    JSON.stringify({ settings, cores: cpus().length, node: process.version, runs }, null, 2)
  )
  console.log(`\n${report}\nwritten to ${join(results, 'latest.md')}`)

  if (cpuProf) {
    await printProfiles()
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
