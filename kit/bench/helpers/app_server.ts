import { spawn, type ChildProcess } from 'node:child_process'

/**
 * One process of the production build, started by the bench: the app
 * server ("kit/bench/server.js") or an ace command. Counts the lines it
 * writes to stdout (its JSON log lines).
 */
export class AppServer {
  #child: ChildProcess
  #output = ''
  #lines = 0
  #partial = ''
  #captured?: string[]
  #exited: Promise<number | null>
  url = ''

  constructor(buildRoot: string, args: string[], env: Record<string, string>) {
    this.#child = spawn(process.execPath, args, {
      cwd: buildRoot,
      env: { PATH: process.env.PATH!, TZ: 'UTC', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.#child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (this.#partial + chunk).split('\n')
      this.#partial = lines.pop()!
      this.#lines += lines.length
      this.#captured?.push(...lines)
      // Only the start of the output is kept, for error messages.
      if (this.#output.length < 20_000) {
        this.#output += chunk
      }
    })
    this.#child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.#output += chunk
    })
    this.#exited = new Promise((resolve) => this.#child.on('exit', (code) => resolve(code)))
  }

  /**
   * Starts the server (with extra Node.js flags, if any) and waits
   * (bounded) until it listens. `entry` is the script started: the bench
   * server of the kit's build, or another AdonisJS app's "bin/server.js"
   * (the reference of `--reference`).
   */
  static async start(
    buildRoot: string,
    env: Record<string, string>,
    nodeFlags: string[] = [],
    entry = 'kit/bench/server.js'
  ) {
    const server = new AppServer(buildRoot, [...nodeFlags, entry], env)
    const deadline = Date.now() + 30_000
    while (!/started HTTP server on/.test(server.#output)) {
      if (Date.now() > deadline || server.#child.exitCode !== null) {
        server.#child.kill('SIGKILL')
        throw new Error(`The bench server did not start. Its output:\n${server.#output}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    server.url = `http://127.0.0.1:${env.PORT}`
    return server
  }

  /**
   * Runs an ace command of the build to its end; throws when it fails.
   */
  static async ace(buildRoot: string, args: string[], env: Record<string, string>) {
    const command = new AppServer(buildRoot, ['ace.js', ...args], env)
    if ((await command.#exited) !== 0) {
      throw new Error(`node ace ${args.join(' ')} failed:\n${command.#output}`)
    }
  }

  /**
   * Starts keeping the lines written to stdout, for `capturedLines`.
   */
  captureLines() {
    this.#captured = []
  }

  /**
   * The lines written since `captureLines`, and stops keeping them.
   */
  capturedLines(): string[] {
    const lines = this.#captured ?? []
    this.#captured = undefined
    return lines
  }

  /**
   * Lines written to stdout so far.
   */
  get linesWritten() {
    return this.#lines
  }

  /**
   * The process id (to sample its CPU time).
   */
  get pid() {
    return this.#child.pid!
  }

  /**
   * Reads the bench stats route: resident memory and session rows.
   */
  async stats(): Promise<{ rss: number; sessionRows: number }> {
    const response = await fetch(`${this.url}/__bench__/stats`, {
      headers: { accept: 'application/json' },
    })
    if (!response.ok) {
      throw new Error(`/__bench__/stats answered ${response.status}`)
    }
    return (await response.json()) as { rss: number; sessionRows: number }
  }

  /**
   * Stops the server (SIGTERM, then SIGKILL after 10 s).
   */
  async stop() {
    if (this.#child.exitCode !== null) {
      return
    }
    this.#child.kill('SIGTERM')
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 10_000)
    await this.#exited
    clearTimeout(timer)
  }
}
