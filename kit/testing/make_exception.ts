import { spawn } from 'node:child_process'
import type { FileSystem } from '@japa/file-system'
import { AceFactory } from '@adonisjs/core/factories'
import app, { setApp } from '@adonisjs/core/services/app'

/**
 * An ace kernel for an app rooted in `appRoot` (a test's temporary
 * folder), logging in memory, as in core's own generator tests.
 */
export async function createKernel(appRoot: FileSystem | URL) {
  const testedApp = app
  const ace = await new AceFactory().make(appRoot instanceof URL ? appRoot : appRoot.baseUrl, {
    importer: (filePath) => import(filePath),
  })

  /**
   * Creating an app makes it the "app" service: give the service back to
   * the app of this test run.
   */
  setApp(testedApp)

  await ace.app.init()
  ace.ui.switchMode('raw')
  return ace
}

/**
 * The log lines of a kernel, joined (to search them).
 */
export function logsOf(ace: { ui: { logger: { getLogs(): { message: string }[] } } }) {
  return ace.ui.logger
    .getLogs()
    .map((log) => log.message)
    .join('\n')
}

/**
 * What a spawned process did.
 */
export type ProcessResult = { exitCode: number | null; output: string }

/**
 * Runs `node <args>` in the app root and collects its output. Bounded: the
 * process is killed after `timeoutMs`.
 */
export function runNode(
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {}
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: app.makePath(),
      env: { ...process.env, FORCE_COLOR: '0', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk))

    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.once('error', reject)
    child.once('close', (exitCode) => {
      clearTimeout(timer)
      resolve({ exitCode, output })
    })
  })
}
