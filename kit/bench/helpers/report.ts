import { cpus } from 'node:os'
import { readFileSync } from 'node:fs'
import type { LoadResult } from '#kit/bench/helpers/load'
import type { Scenario } from '#kit/bench/scenarios'

/**
 * The figures of one route in one run.
 */
export type RouteFigures = LoadResult & {
  scenario: Scenario
  /**
   * Route 1's requests/s on the same server around this route (before
   * and after it, averaged).
   */
  route1RequestsPerSecond: number
  /**
   * requestsPerSecond / route1RequestsPerSecond (the median of the runs'
   * shares when runs are merged).
   */
  shareOfRoute1: number
}

/**
 * What one run of the bench measured.
 */
export type RunFigures = {
  floor: { json: LoadResult; html: LoadResult }
  routes: RouteFigures[]
  /**
   * Route 7 (the JSON 404) against the floor server answering its very
   * body with a 404, measured back to back (see `measureNotFoundFloor`),
   * against AdonisJS alone answering it (no middleware, a handler that
   * only writes the body), and against another AdonisJS app's JSON 404
   * when `--reference` names one. Requests/s.
   */
  notFound?: { floor: number; framework: number; route: number; reference?: number }
  /**
   * Log lines the server wrote while route 8 (500, reported) was measured.
   */
  route8LogLines?: number
  flood?: {
    requests: number
    requestsPerSecond: number
    unexpected: number
    rssBefore: number
    rssAfter: number
    rowsBefore: number
    rowsAfter: number
    logLines: number
  }
}

/**
 * How the runs were driven, for the report's header.
 */
export type RunSettings = {
  runs: number
  duration: number
  warmup: number
  connections: number
  flood: number
  /**
   * The cores of the servers and of autocannon (null: not pinned).
   */
  pinning: { server: string; load: string } | null
  /**
   * The build of another AdonisJS app whose JSON 404 route 7 is compared
   * with (`--reference`).
   */
  reference?: string
}

/**
 * The median of a list of numbers.
 */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * The median of each number of an object, over several runs.
 */
function medianOf<T extends Record<string, any>>(items: T[]): T {
  const result: Record<string, any> = { ...items[0] }
  for (const [key, value] of Object.entries(items[0])) {
    if (typeof value === 'number') {
      result[key] = median(items.map((item) => item[key]))
    }
  }
  return result as T
}

/**
 * The run made of the medians of every figure of several runs.
 */
export function medianRun(runs: RunFigures[]): RunFigures {
  return {
    floor: {
      json: medianOf(runs.map((run) => run.floor.json)),
      html: medianOf(runs.map((run) => run.floor.html)),
    },
    routes: runs[0].routes.map(({ scenario }) =>
      medianOf(runs.flatMap((run) => run.routes.filter((route) => route.scenario === scenario)))
    ),
    route8LogLines:
      runs[0].route8LogLines === undefined
        ? undefined
        : median(runs.map((run) => run.route8LogLines!)),
    flood: runs[0].flood ? medianOf(runs.map((run) => run.flood!)) : undefined,
    notFound: runs[0].notFound
      ? {
          floor: median(runs.map((run) => run.notFound!.floor)),
          framework: median(runs.map((run) => run.notFound!.framework)),
          route: median(runs.map((run) => run.notFound!.route)),
          reference:
            runs[0].notFound.reference === undefined
              ? undefined
              : median(runs.map((run) => run.notFound!.reference!)),
        }
      : undefined,
  }
}

const integer = (value: number) => Math.round(value).toLocaleString('en-US')
const decimal = (value: number) => value.toFixed(value < 10 ? 2 : 1)
const percent = (value: number) => `${Math.round(value * 100)} %`
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/**
 * The shares of route 1 of an earlier run, shown beside the new ones
 * ("kit/bench/baseline.json"; rows it does not list show "n/a").
 */
export type Baseline = { label: string; shareOfRoute1: Record<string, number> }

/**
 * Reads the baseline file; undefined when there is none.
 */
export function readBaseline(file: string): Baseline | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Baseline
  } catch {
    return undefined
  }
}

/**
 * The report of a (median) run, in Markdown.
 */
export function toMarkdown(
  figures: RunFigures,
  settings: RunSettings,
  baseline?: Baseline
): string {
  const cpu = cpus()
  const before = baseline ? ` ${baseline.label}: vs route 1 |` : ''
  const lines = [
    '# Bench results',
    '',
    `${new Date().toISOString().slice(0, 10)}, Node.js ${process.version}, ${process.platform} ` +
      `${process.arch}, ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}).`,
    `${settings.runs === 1 ? 'One run' : `Medians of ${settings.runs} runs`}: each route for ` +
      `${settings.duration} s with ${settings.connections} connections (one request in flight ` +
      `each) after a ${settings.warmup} s warm-up; the production build, on 127.0.0.1, with ` +
      'SQLite sessions (Redis sessions for the rows that say so). "vs route 1" divides by route ' +
      "1's requests/s measured on the same server just before and after the route (half the " +
      'duration each). ' +
      (settings.pinning
        ? `The servers run on core ${settings.pinning.server}, autocannon on core ` +
          `${settings.pinning.load} (taskset).`
        : 'The servers and autocannon share the cores (not pinned: no taskset).'),
    '',
    `| # | Route | Status | req/s | p50 ms | p99 ms | Unexpected | vs route 1 |${before} vs node:http | Target |`,
    `|---|-------|--------|------:|-------:|-------:|-----------:|-----------:|${baseline ? '------:|' : ''}-------------:|--------|`,
  ]

  for (const route of figures.routes) {
    const { scenario } = route
    const floor = figures.floor[scenario.accept]
    const share = route.shareOfRoute1
    const earlier = baseline?.shareOfRoute1[scenario.number]
    const beforeCell = baseline ? ` ${earlier === undefined ? 'n/a' : percent(earlier)} |` : ''
    const target = scenario.target
      ? `${share >= scenario.target ? 'met' : 'missed'} (>= ${percent(scenario.target)})`
      : ''
    lines.push(
      `| ${scenario.number} | ${scenario.title} | ${scenario.expectedStatus} | ` +
        `${integer(route.requestsPerSecond)} | ${decimal(route.p50)} | ${decimal(route.p99)} | ` +
        `${integer(route.unexpected)} | ${percent(share)} |${beforeCell} ` +
        `${percent(route.requestsPerSecond / floor.requestsPerSecond)} (${scenario.accept}) | ` +
        `${target} |`
    )
  }
  for (const accept of ['json', 'html'] as const) {
    const floor = figures.floor[accept]
    lines.push(
      `| floor | node:http, the same ${accept.toUpperCase()} body | 200 | ` +
        `${integer(floor.requestsPerSecond)} | ${decimal(floor.p50)} | ${decimal(floor.p99)} | ` +
        `${integer(floor.unexpected)} | |${baseline ? ' |' : ''} 100 % | |`
    )
  }

  const route8 = figures.routes.find(({ scenario }) => scenario.number === 8)
  if (route8 && figures.route8LogLines !== undefined) {
    lines.push(
      '',
      '## Reporting throttle',
      '',
      `While route 8 was measured, ${integer(route8.requests)} requests failed with the same ` +
        `error and the server wrote ${integer(figures.route8LogLines)} log lines: the throttle ` +
        'lets 10 identical reports a minute through and counts the rest in one "suppressed" line ' +
        'when the minute ends.'
    )
  }

  const notFound = figures.notFound
  if (notFound) {
    const share = notFound.route / notFound.floor
    lines.push(
      '',
      '## The JSON 404 and its floor',
      '',
      'Route 7 (`GET /no-such-page` as JSON) against the node:http floor answering the same ' +
        '404 body, measured back to back on the same core (floor, route, floor, each half the ' +
        `duration but the route): ${integer(notFound.route)} req/s against ` +
        `${integer(notFound.floor)} req/s, **${percent(share)}** of the floor (target >= 37 %: ` +
        `${share >= 0.37 ? 'met' : 'missed'}).`,
      '',
      "AdonisJS alone (`kit/bench/framework_server.ts`: the framework's HTTP server, no " +
        'middleware, an error handler that only writes the same body), in the same slots: ' +
        `${integer(notFound.framework)} req/s, ${percent(notFound.framework / notFound.floor)} ` +
        `of the floor; route 7 answers ${(notFound.route / notFound.framework).toFixed(2)}x as ` +
        'many. What the kit adds to an unknown URL is the gap between these two figures.'
    )
    if (notFound.reference !== undefined) {
      lines.push(
        '',
        `The reference app (\`--reference ${settings.reference}\`), measured in the same ` +
          `slots around the route: ${integer(notFound.reference)} req/s for its JSON 404, ` +
          `${percent(notFound.reference / notFound.floor)} of the floor; route 7 answers ` +
          `${(notFound.route / notFound.reference).toFixed(2)}x as many.`
      )
    }
  }

  const flood = figures.flood
  if (flood) {
    const growth = (flood.rssAfter - flood.rssBefore) / flood.rssBefore
    lines.push(
      '',
      `## Flood: ${integer(settings.flood)} error requests without cookies`,
      '',
      '404 (unique paths, HTML and JSON) and 401 (`/api/me` in JSON, `/dashboard` in HTML) in turn, ' +
        `at ${integer(flood.requestsPerSecond)} req/s, ${integer(flood.unexpected)} unexpected answers.`,
      '',
      '|              | Before | After | Change |',
      '|--------------|-------:|------:|-------:|',
      `| RSS          | ${megabytes(flood.rssBefore)} | ${megabytes(flood.rssAfter)} | ` +
        `${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} % (target < 10 %: ` +
        `${growth < 0.1 ? 'met' : 'missed'}) |`,
      `| Session rows | ${integer(flood.rowsBefore)} | ${integer(flood.rowsAfter)} | ` +
        `${integer(flood.rowsAfter - flood.rowsBefore)} (target 0: ` +
        `${flood.rowsAfter === flood.rowsBefore ? 'met' : 'missed'}) |`,
      `| Log lines    | | | ${integer(flood.logLines)} written (route 8's "suppressed" line, ` +
        'when its minute ends during the flood, is not counted) |'
    )
  }

  return lines.join('\n') + '\n'
}
