import { test } from '@japa/runner'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { stripVTControlCharacters } from 'node:util'
import app from '@adonisjs/core/services/app'
import { freePort } from '#kit/testing'

/**
 * The folder holding the env files of the dev server under test: it starts
 * empty. Inside the app, where the dev server watches (it never watches
 * "tmp/").
 */
const ENV_DIR = `kit/testing/fixtures/dev_server_env_${process.pid}`

/**
 * The database of the dev server under test.
 */
const DATABASE = `tmp/dev_server_${process.pid}.sqlite3`

/**
 * The arguments of "node ace" in the "dev" script of package.json (what
 * "npm run dev" runs).
 */
async function devScriptArguments() {
  const { scripts } = JSON.parse(await readFile(app.makePath('package.json'), 'utf8'))
  const [node, ace, ...rest] = scripts.dev.split(' ')
  if (node !== 'node' || ace !== 'ace') {
    throw new Error(`The dev script is not "node ace ...": ${scripts.dev}`)
  }
  return rest as string[]
}

/**
 * "npm run dev" (the dev script's `node ace serve --hmr ...`) on a free
 * port, with its env files in ENV_DIR.
 */
class DevServer {
  #child: ChildProcess
  #exited: Promise<number | null>
  output = ''

  constructor(
    readonly port: number,
    args: string[]
  ) {
    this.#child = spawn(process.execPath, ['ace.js', ...args], {
      cwd: app.makePath(),
      env: {
        PATH: process.env.PATH!,
        ENV_PATH: `${ENV_DIR}/`,
        PORT: String(port),
        HOST: '127.0.0.1',
        DB_SQLITE_FILE: DATABASE,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      /**
       * Its own process group: `kill()` can then stop the HTTP server it
       * starts too, even when the dev server itself failed to.
       */
      detached: true,
    })
    this.#child.stdout!.setEncoding('utf8').on('data', (chunk) => (this.output += chunk))
    this.#child.stderr!.setEncoding('utf8').on('data', (chunk) => (this.output += chunk))
    this.#exited = new Promise((resolve) => this.#child.on('exit', (code) => resolve(code)))
  }

  /**
   * GET `path` from the server; null when nothing answers.
   */
  async get(path: string): Promise<string | null> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.port}${path}`)
      return response.ok ? await response.text() : null
    } catch {
      return null
    }
  }

  /**
   * Waits (bounded) until `check` returns true.
   */
  async until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 45_000) {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (await check()) {
        return
      }
      if (this.#child.exitCode !== null) {
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    throw new Error(`Never saw: ${what}. Output:\n${stripVTControlCharacters(this.output)}`)
  }

  /**
   * Sends SIGTERM and resolves with the exit code and how long it took,
   * or with `timedOut` after `timeoutMs`.
   */
  async terminate(timeoutMs: number) {
    const startedAt = Date.now()
    this.#child.kill('SIGTERM')
    const timeout = new Promise<'timedOut'>((resolve) =>
      setTimeout(() => resolve('timedOut'), timeoutMs).unref()
    )
    const code = await Promise.race([this.#exited, timeout])
    return { code, ms: Date.now() - startedAt }
  }

  /**
   * Cleanup: kills whatever of the process group still runs, and stops
   * reading its output (an orphaned HTTP server would keep the pipes, and
   * this test process, open).
   */
  kill() {
    try {
      process.kill(-this.#child.pid!, 'SIGKILL')
    } catch {
      // The group is gone already.
    }
    this.#child.stdout!.destroy()
    this.#child.stderr!.destroy()
  }
}

test.group('Dev server | node ace serve', (group) => {
  group.each.teardown(async () => {
    await rm(app.makePath(ENV_DIR), { recursive: true, force: true })
    await Promise.all(
      ['', '-wal', '-shm', '-journal'].map((suffix) =>
        rm(app.makePath(DATABASE + suffix), { force: true })
      )
    )
  })

  test('first run, .env edits and SIGTERM', async ({ assert, cleanup }) => {
    await mkdir(app.makePath(ENV_DIR), { recursive: true })
    const server = new DevServer(await freePort(), await devScriptArguments())
    cleanup(() => server.kill())
    const envFile = app.makePath(ENV_DIR, '.env')

    /**
     * The first run creates the .env and says so. "npm run dev" never
     * clears the screen: its output starts with no escape that wipes the
     * terminal (or litters a log).
     */
    await server.until('the server answering', async () => (await server.get('/health')) !== null)
    const created = server.output.indexOf(`[first run] created ${ENV_DIR}/.env from .env.example`)
    assert.isAbove(created, -1, server.output)
    assert.notInclude(server.output, '\x1Bc')
    assert.include(await server.get('/login'), 'Demo accounts')

    /**
     * A value changed in .env takes effect: the server restarts with it.
     * NODE_ENV=production hides the demo accounts of the login page.
     */
    await server.until('the watcher ready', () =>
      server.output.includes('watching file system for changes')
    )
    const contents = await readFile(envFile, 'utf8')
    await writeFile(envFile, contents.replace(/^NODE_ENV=.*$/m, 'NODE_ENV=production'))
    await server.until('the login page without the demo accounts', async () => {
      const page = await server.get('/login')
      return page !== null && !page.includes('Demo accounts')
    })

    /**
     * SIGTERM stops the dev server and its HTTP server promptly.
     */
    assert.notInclude(server.output, '\x1Bc', 'not on a restart either')
    const { code, ms } = await server.terminate(5_000)
    assert.equal(code, 0, `exit: ${code} after ${ms} ms`)
    await server.until(
      'the HTTP server gone',
      async () => (await server.get('/health')) === null,
      10_000
    )
  }).timeout(120_000)
})
