import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

/**
 * Which cores the servers and the load generator (this process) run on.
 * `null` when they are not pinned: `taskset` (util-linux) is missing, or
 * the machine has a single core.
 */
export type CpuPinning = { server: string; load: string } | null

/**
 * Runs taskset with the given arguments; true when it succeeded.
 */
function taskset(args: string[]): boolean {
  const result = spawnSync('taskset', args, { stdio: 'ignore' })
  return result.status === 0
}

/**
 * Gives the servers the last core and this process (autocannon) the
 * others, so that they never take turns on one core. Unpinned, the
 * scheduler sometimes put both on the same core for a whole route, which
 * halved that route's requests/s: route 1, the baseline of every ratio,
 * measured 3,000 or 5,600 req/s from one run to the next.
 */
export function pinLoadGenerator(): CpuPinning {
  const cores = availableParallelism()
  if (cores < 2 || !taskset(['-V'])) {
    return null
  }
  const pinning = { server: String(cores - 1), load: cores === 2 ? '0' : `0-${cores - 2}` }
  return taskset(['-a', '-c', '-p', pinning.load, String(process.pid)]) ? pinning : null
}

/**
 * Moves a started server (all its threads) to the servers' core.
 */
export function pinServer(pinning: CpuPinning, pid: number) {
  if (pinning && !taskset(['-a', '-c', '-p', pinning.server, String(pid)])) {
    throw new Error(`taskset could not pin process ${pid} to core ${pinning.server}`)
  }
}
