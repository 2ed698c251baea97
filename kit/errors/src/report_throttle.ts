/**
 * How many identical reports are logged per window.
 */
export type ReportThrottleOptions = {
  /**
   * Reports logged per key and window; the rest are counted.
   */
  limit: number
  /**
   * The window length in milliseconds.
   */
  windowMs: number
  /**
   * The most keys tracked at once; the oldest is dropped (and its
   * suppressed count flushed) past it, so a flood of distinct errors
   * cannot grow memory without bound.
   */
  maxKeys?: number
}

type Bucket<Sample> = {
  startedAt: number
  count: number
  suppressed: number
  sample: Sample
  timer?: NodeJS.Timeout
}

/**
 * Collapses bursts of identical error reports. The first `limit` reports
 * of a key in a window go through; the others are counted, and when the
 * window closes `onSuppressed` is called once with the count, so one
 * "suppressed N similar errors" line stands for them.
 */
export class ReportThrottle<Sample = unknown> {
  #buckets = new Map<string, Bucket<Sample>>()
  #options: Required<ReportThrottleOptions>
  #onSuppressed: (sample: Sample, suppressed: number) => void
  #now: () => number

  constructor(
    options: ReportThrottleOptions,
    onSuppressed: (sample: Sample, suppressed: number) => void,
    now: () => number = Date.now
  ) {
    this.#options = { maxKeys: 1000, ...options }
    this.#onSuppressed = onSuppressed
    this.#now = now
  }

  /**
   * Counts one report of `key`; true when it should be logged.
   */
  allow(key: string, sample: Sample): boolean {
    const now = this.#now()
    let bucket = this.#buckets.get(key)

    if (bucket && now - bucket.startedAt >= this.#options.windowMs) {
      this.#close(key, bucket)
      bucket = undefined
    }

    if (!bucket) {
      this.#evictIfFull()
      bucket = { startedAt: now, count: 0, suppressed: 0, sample }
      this.#buckets.set(key, bucket)
    }

    bucket.count++
    if (bucket.count <= this.#options.limit) {
      return true
    }

    bucket.suppressed++
    if (!bucket.timer) {
      const closesIn = Math.max(0, bucket.startedAt + this.#options.windowMs - now)
      const current = bucket
      bucket.timer = setTimeout(() => this.#close(key, current), closesIn)
      bucket.timer.unref()
    }
    return false
  }

  /**
   * Reports the suppressed counts of every open window now (at shutdown,
   * or in tests) and forgets them.
   */
  flush() {
    for (const [key, bucket] of this.#buckets) {
      this.#close(key, bucket)
    }
  }

  #close(key: string, bucket: Bucket<Sample>) {
    clearTimeout(bucket.timer)
    if (this.#buckets.get(key) === bucket) {
      this.#buckets.delete(key)
    }
    if (bucket.suppressed > 0) {
      const suppressed = bucket.suppressed
      bucket.suppressed = 0
      this.#onSuppressed(bucket.sample, suppressed)
    }
  }

  #evictIfFull() {
    if (this.#buckets.size < this.#options.maxKeys) {
      return
    }
    const [oldestKey, oldest] = this.#buckets.entries().next().value!
    this.#close(oldestKey, oldest)
  }
}
