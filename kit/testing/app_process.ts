import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort } from '#kit/runtime/src/first_run/free_port'
import type { Send } from '#kit/testing/sign_in'
import { generateAppKey } from '#kit/runtime/src/first_run/app_key'

const APP_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/**
 * A real app server in its own process, started from
 * "kit/testing/fixtures/server.ts" (the app plus the test-only error routes).
 */
export class AppProcess {
  #child: ChildProcess
  #output = ''
  #exited: Promise<number | null>
  url = ''

  constructor(env: Record<string, string>) {
    this.#child = spawn(
      process.execPath,
      ['--import=@poppinss/ts-exec', 'kit/testing/fixtures/server.ts'],
      {
        cwd: APP_ROOT,
        env: {
          PATH: process.env.PATH!,
          TZ: 'UTC',
          HOST: '127.0.0.1',
          PORT: '0',
          LOG_LEVEL: 'info',
          APP_KEY: generateAppKey(),
          SESSION_DRIVER: 'database',
          DB_SQLITE_FILE: 'tmp/test.sqlite3',
          // The sign-in throttle's counters are in that database too, and
          // every test signs in from 127.0.0.1: limits no test reaches by
          // accident (the throttle's own tests set small ones).
          THROTTLE_ACCOUNT_ATTEMPTS: '1000',
          THROTTLE_IP_ATTEMPTS: '10000',
          // No .env file is read: the test decides every value.
          ENV_PATH: 'kit/testing/fixtures/no-env/',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    )
    this.#child.stdout!.setEncoding('utf8').on('data', (chunk) => (this.#output += chunk))
    this.#child.stderr!.setEncoding('utf8').on('data', (chunk) => (this.#output += chunk))
    this.#exited = new Promise((resolve) => this.#child.on('exit', (code) => resolve(code)))
  }

  /**
   * Starts a production-mode server and waits until it listens. A server
   * that does not start in time is stopped, never left running.
   */
  static async start(env: Record<string, string> = {}) {
    const port = String(await freePort())
    const server = new AppProcess({ NODE_ENV: 'production', PORT: port, ...env })
    try {
      await server.waitForOutput(/started HTTP server on/, 120_000)
    } catch (error) {
      await server.stop()
      throw error
    }
    server.url = `http://127.0.0.1:${port}`
    return server
  }

  /**
   * Resolves with the exit code once the process ends.
   */
  get exited() {
    return this.#exited
  }

  /**
   * Everything the process printed so far.
   */
  get output() {
    return this.#output
  }

  /**
   * The JSON log lines printed so far (from the `since` offset of the
   * output on, when given).
   */
  logLines(since = 0): Record<string, any>[] {
    return this.#output
      .slice(since)
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
  }

  /**
   * Waits (bounded) until the output (from the `since` offset on, when
   * given) matches, and returns the matching line.
   */
  async waitForOutput(pattern: RegExp, timeoutMs = 10_000, since = 0): Promise<string> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      const line = this.#output
        .slice(since)
        .split('\n')
        .find((candidate) => pattern.test(candidate))
      if (line) {
        return line
      }
      if (this.#child.exitCode !== null) {
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    throw new Error(`Output never matched ${pattern}. Output so far:\n${this.#output}`)
  }

  /**
   * Sends a request to the server, redirects not followed (a `Send`:
   * `signIn(server.fetch, ...)`).
   */
  fetch: Send = (path, init) => fetch(`${this.url}${path}`, { redirect: 'manual', ...init })

  /**
   * Sends a signal to the process, without waiting for anything.
   */
  signal(signal: NodeJS.Signals) {
    this.#child.kill(signal)
  }

  /**
   * The exit code once the process has exited (null while it runs, or
   * when a signal killed it).
   */
  get exitCode() {
    return this.#child.exitCode
  }

  /**
   * Waits (bounded) until the process exits, and returns its exit code
   * (null when a signal killed it).
   */
  async waitForExit(timeoutMs = 30_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`The process did not exit in ${timeoutMs} ms:\n${this.#output}`)),
        timeoutMs
      )
    })
    try {
      return await Promise.race([this.#exited, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * Stops reading the process' stdout: once the pipe is full, its writes
   * wait (a slow log destination).
   */
  pauseStdout() {
    this.#child.stdout!.pause()
  }

  /**
   * Reads the process' stdout again.
   */
  resumeStdout() {
    this.#child.stdout!.resume()
  }

  /**
   * Closes the reading end of the process' stdout: its writes fail with
   * EPIPE (a broken log destination).
   */
  closeStdout() {
    this.#child.stdout!.destroy()
  }

  /**
   * Stops the process and waits for it to exit.
   */
  async stop() {
    if (this.#child.exitCode === null) {
      this.#child.kill('SIGTERM')
    }
    return this.#exited
  }
}
