import { readFileSync } from 'node:fs'

/**
 * The parts of a V8 ".cpuprofile" file the summary reads.
 */
type CpuProfile = {
  nodes: {
    id: number
    hitCount?: number
    callFrame: { functionName: string; url: string; lineNumber: number }
  }[]
  startTime: number
  endTime: number
  samples: number[]
}

/**
 * Where a function comes from: a package of node_modules, the app, or
 * Node.js itself.
 */
function originOf(url: string, appRoot: string): string {
  const packagePath = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)
  if (packagePath) {
    return packagePath[1]
  }
  if (url.startsWith('node:') || url === '') {
    return url === '' ? '(native, GC, idle)' : 'node:internal'
  }
  return url.includes(appRoot) ? 'the app' : url
}

/**
 * The share of samples spent in each origin and in the busiest functions
 * of a CPU profile, as text lines.
 */
export function summarizeProfile(file: string, appRoot: string, top = 25): string[] {
  const profile: CpuProfile = JSON.parse(readFileSync(file, 'utf8'))
  const total = profile.samples.length || 1
  const byOrigin = new Map<string, number>()
  const byFunction = new Map<string, number>()

  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0
    if (!hits) {
      continue
    }
    const { functionName, url, lineNumber } = node.callFrame
    const origin = originOf(url, appRoot)
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(appRoot, '')}:${lineNumber + 1}`
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + hits)
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits)
  }

  const share = (hits: number) => `${((hits / total) * 100).toFixed(1).padStart(5)} %`
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1])

  return [
    `${file}: ${total} samples`,
    'self time by origin:',
    ...sorted(byOrigin)
      .slice(0, 15)
      .map(([origin, hits]) => `  ${share(hits)}  ${origin}`),
    `busiest functions (self time):`,
    ...sorted(byFunction)
      .slice(0, top)
      .map(([name, hits]) => `  ${share(hits)}  ${name}`),
  ]
}
