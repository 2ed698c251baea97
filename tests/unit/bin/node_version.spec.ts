import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { nodeVersionProblem, REQUIRED_NODE_MAJOR } from '../../../bin/node_version.js'

const APP_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/**
 * A Node.js binary older than the required major: the first `node` on
 * PATH, or in /usr/bin and /usr/local/bin, that reports one.
 */
function olderNode(): { path: string; version: string } | undefined {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin']
  for (const folder of new Set(folders.filter(Boolean))) {
    const path = join(folder, 'node')
    const result = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 })
    const version = result.status === 0 ? result.stdout.trim() : ''
    if (version && Number(version.slice(1).split('.')[0]) < REQUIRED_NODE_MAJOR) {
      return { path, version }
    }
  }
  return undefined
}

test.group('Node.js version check', () => {
  test('.nvmrc and "engines" in package.json name the major the check requires', async ({
    assert,
  }) => {
    const nvmrc = await readFile(join(APP_ROOT, '.nvmrc'), 'utf8')
    const packageJson = JSON.parse(await readFile(join(APP_ROOT, 'package.json'), 'utf8'))

    assert.equal(nvmrc.trim(), String(REQUIRED_NODE_MAJOR))
    assert.equal(packageJson.engines.node, `>=${REQUIRED_NODE_MAJOR}`)
  })

  test('accepts the required major and newer, refuses older ones', ({ assert }) => {
    assert.isUndefined(nodeVersionProblem(`v${REQUIRED_NODE_MAJOR}.0.0`))
    assert.isUndefined(nodeVersionProblem(`v${REQUIRED_NODE_MAJOR + 1}.2.3`))
    assert.equal(
      nodeVersionProblem('v20.11.1'),
      `[ error ] This app needs Node.js ${REQUIRED_NODE_MAJOR} or newer, and this is Node.js v20.11.1: ` +
        `run "nvm install" (or "nvm use" once installed), which reads .nvmrc, or install Node.js ` +
        `${REQUIRED_NODE_MAJOR} from https://nodejs.org`
    )
  })

  const node = olderNode()
  for (const entry of [['ace.js', '--help'], ['ace.js', 'serve', '--hmr'], ['bin/start.js']]) {
    test(`"node ${entry.join(' ')}" with an older Node.js prints one line and exits with 1`, ({
      assert,
    }) => {
      const result = spawnSync(node!.path, entry, {
        cwd: APP_ROOT,
        env: { PATH: process.env.PATH! },
        encoding: 'utf8',
        timeout: 30_000,
      })

      assert.equal(result.status, 1)
      assert.equal(result.stdout, '')
      assert.equal(result.stderr, `${nodeVersionProblem(node!.version)}\n`)
    }).skip(!node, `no Node.js older than ${REQUIRED_NODE_MAJOR} on PATH or in /usr/bin`)
  }
})
