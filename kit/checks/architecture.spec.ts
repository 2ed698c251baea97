import { test } from '@japa/runner'
import { existsSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import app from '@adonisjs/core/services/app'

/**
 * The rules between the app and the kit's modules (docs/architecture.md):
 *
 * 1. a kit module imports nothing from the app: app/, config/, start/,
 *    tests/, database/ (what it needs comes through config, the container
 *    or arguments);
 * 2. a kit module imports another module only through its entries: its
 *    index.ts ("#kit/sessions") or a named subpath that package.json lists
 *    as an explicit key ("#kit/errors/exceptions"); an explicit key is a
 *    public entry, never "#kit/sessions/src/..." (the "#kit/*" wildcard);
 * 3. app code (app/, config/, start/, commands/, bin/, adonisrc.ts)
 *    imports the kit through the same entries only;
 * 4. no import cycle among the files of app/, kit/, config/, start/,
 *    commands/ and bin/;
 * 5. every module has an entry (index.ts) and a README.md, and a
 *    provider.ts when it registers services.
 *
 * Allowed: a module's own tests (kit/<m>/tests) import its internals and
 * the app they test; the tooling folders kit/testing (test helpers that
 * drive the app), kit/bench (the benchmark, which drives the app) and
 * kit/checks (these checks) import whatever they need.
 *
 * The "#kit/*" wildcard of package.json stays for them: a module's own
 * files and tests, kit/testing and kit/bench reach internals through it
 * ("#kit/errors/src/negotiate"). Any other use of it is a deep import,
 * which rules 2 and 3 refuse.
 */
const TOOLING = ['testing', 'bench', 'checks']

/**
 * The folders a kit module may not import from.
 */
const APP_FOLDERS = /^(app|config|start|tests|database)\//

type Import = { specifier: string; target?: string; typeOnly: boolean }

/**
 * TypeScript files under a folder, as paths relative to the app root.
 */
async function sourceFiles(folder: string): Promise<string[]> {
  if (!existsSync(app.makePath(folder))) return []
  const entries = await readdir(app.makePath(folder), { recursive: true })
  return entries
    .filter((entry) => entry.endsWith('.ts') && !entry.endsWith('.d.ts'))
    .map((entry) => join(folder, entry))
}

/**
 * Resolves an import specifier to a file of the app (relative to its
 * root), through package.json "imports" as Node.js does (an exact key
 * first, then the longest "prefix/*" pattern), or relative to the file.
 * Undefined for packages.
 */
function resolveSpecifier(
  file: string,
  specifier: string,
  aliases: Record<string, string>
): string | undefined {
  let target: string | undefined
  if (specifier.startsWith('#')) {
    if (aliases[specifier]) {
      target = aliases[specifier]
    } else {
      const pattern = Object.keys(aliases)
        .filter((key) => key.endsWith('/*') && specifier.startsWith(key.slice(0, -1)))
        .sort((a, b) => b.length - a.length)[0]
      if (!pattern) return undefined
      target = aliases[pattern].replace('*', specifier.slice(pattern.length - 1))
    }
  } else if (specifier.startsWith('.')) {
    target = relative(app.makePath(), resolve(dirname(app.makePath(file)), specifier))
  } else {
    return undefined
  }
  return target.replace(/^\.\//, '').replace(/\.js$/, '.ts')
}

/**
 * What a file imports, statically, with `import()` and with `export ...
 * from`.
 */
async function importsOf(file: string, aliases: Record<string, string>): Promise<Import[]> {
  const source = await readFile(app.makePath(file), 'utf8')
  const found: Array<{ specifier: string; typeOnly: boolean }> = []
  for (const match of source.matchAll(
    /(?:^|\n)\s*(?:import|export)\s+(type\s+)?[^'";]*?\bfrom\s*'([^']+)'/g
  )) {
    found.push({ specifier: match[2], typeOnly: Boolean(match[1]) })
  }
  for (const match of source.matchAll(/(?:^|\n)\s*import\s*'([^']+)'/g)) {
    found.push({ specifier: match[1], typeOnly: false })
  }
  for (const match of source.matchAll(/\bimport\s*\(\s*'([^']+)'\s*\)/g)) {
    found.push({ specifier: match[1], typeOnly: false })
  }
  return found.map(({ specifier, typeOnly }) => ({
    specifier,
    target: resolveSpecifier(file, specifier, aliases),
    typeOnly,
  }))
}

/**
 * The kit module a file belongs to ("sessions" for kit/sessions/...).
 */
function moduleOf(file: string): string | undefined {
  return /^kit\/([^/]+)\//.exec(file)?.[1]
}

/**
 * Files of kit/ that the module rules apply to: not the tooling folders,
 * not a module's own tests.
 */
function isModuleCode(file: string): boolean {
  const module = moduleOf(file)
  return module !== undefined && !TOOLING.includes(module) && !/^kit\/[^/]+\/tests\//.test(file)
}

/**
 * The public entries of the kit's modules: the explicit keys of
 * package.json's "imports" under "#kit/" (not the "#kit/*" wildcard).
 */
function kitEntries(aliases: Record<string, string>): Set<string> {
  return new Set(
    Object.keys(aliases).filter((key) => key.startsWith('#kit/') && !key.includes('*'))
  )
}

/**
 * The files of the app that import the kit as its user does.
 */
function isAppCode(file: string): boolean {
  return /^(app|config|start|commands|bin)\//.test(file) || file === 'adonisrc.ts'
}

async function loadGraph() {
  const pkg = JSON.parse(await readFile(app.makePath('package.json'), 'utf8'))
  const aliases = pkg.imports as Record<string, string>
  const folders = await Promise.all(
    ['app', 'kit', 'config', 'start', 'commands', 'bin'].map(sourceFiles)
  )
  const files = [...folders.flat(), 'adonisrc.ts']
  const graph = new Map<string, Import[]>()
  for (const file of files) {
    graph.set(file, await importsOf(file, aliases))
  }
  return { graph, aliases, entries: kitEntries(aliases) }
}

/**
 * The rules 1, 2 and 3 broken by a graph, as "file -> specifier", given
 * the public entries of the modules (the explicit package.json keys).
 */
function moduleViolations(graph: Map<string, Import[]>, entries: Set<string>) {
  const fromApp: string[] = []
  const deep: string[] = []
  const appDeep: string[] = []
  for (const [file, imports] of graph) {
    const moduleCode = isModuleCode(file)
    if (!moduleCode && !isAppCode(file)) continue
    const own = moduleOf(file)
    for (const { specifier, target } of imports) {
      if (!target) continue
      const line = `${file} -> ${specifier}`
      if (moduleCode && APP_FOLDERS.test(target)) {
        fromApp.push(line)
        continue
      }
      const other = moduleOf(target)
      if (!other || other === own || entries.has(specifier)) continue
      if (moduleCode) {
        deep.push(line)
      } else {
        appDeep.push(line)
      }
    }
  }
  return { app: fromApp, deep, appDeep }
}

/**
 * The import cycles of a graph, each as "a -> b -> a".
 */
function cyclesOf(graph: Map<string, string[]>): string[] {
  const cycles: string[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return
    if (state.get(file) === 'visiting') {
      cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '))
      return
    }
    state.set(file, 'visiting')
    for (const target of graph.get(file) ?? []) {
      if (graph.has(target)) visit(target, [...path, file])
    }
    state.set(file, 'done')
  }
  for (const file of graph.keys()) visit(file, [])
  return cycles
}

/**
 * The run-time import graph: type-only imports are erased, so they make
 * no cycle when the code runs.
 */
function runtimeGraph(graph: Map<string, Import[]>): Map<string, string[]> {
  return new Map(
    [...graph].map(([file, imports]) => [
      file,
      imports.filter(({ typeOnly, target }) => !typeOnly && target).map(({ target }) => target!),
    ])
  )
}

test.group('Architecture | kit modules', () => {
  test('a kit module imports nothing from app/, config/, start/, tests/ or database/', async ({
    assert,
  }) => {
    const { graph, entries } = await loadGraph()
    assert.deepEqual(moduleViolations(graph, entries).app, [])
  })

  test('a kit module imports another module only through its entry', async ({ assert }) => {
    const { graph, entries } = await loadGraph()
    assert.deepEqual(moduleViolations(graph, entries).deep, [])
  })

  test('app code imports the kit only through its entries (never "#kit/<m>/src/...")', async ({
    assert,
  }) => {
    const { graph, entries } = await loadGraph()
    assert.deepEqual(moduleViolations(graph, entries).appDeep, [])
  })

  test('every module has an entry, a README and, when it registers services, one provider', async ({
    assert,
  }) => {
    const entries = await readdir(app.makePath('kit'), { withFileTypes: true })
    const modules = entries
      .filter((entry) => entry.isDirectory() && !TOOLING.includes(entry.name))
      .map((entry) => entry.name)
    assert.includeMembers(modules, ['sessions', 'errors', 'security', 'runtime', 'generators'])

    const rc = await readFile(app.makePath('adonisrc.ts'), 'utf8')
    const problems: string[] = []
    for (const module of modules) {
      for (const file of ['index.ts', 'README.md']) {
        if (!existsSync(app.makePath('kit', module, file))) {
          problems.push(`missing kit/${module}/${file}`)
        }
      }
      if (existsSync(app.makePath('kit', module, 'providers'))) {
        problems.push(
          `kit/${module}/providers/: one provider per module, kit/${module}/provider.ts`
        )
      }
      const files = await sourceFiles(`kit/${module}`)
      const code = files.filter(isModuleCode)
      const sources = await Promise.all(code.map((file) => readFile(app.makePath(file), 'utf8')))
      const registers = sources.some((source) => /container\.(singleton|bind)\(/.test(source))
      const provider = existsSync(app.makePath('kit', module, 'provider.ts'))
      if (registers && !provider) {
        problems.push(`kit/${module} registers services without kit/${module}/provider.ts`)
      }
      if (provider && !rc.includes(`'#kit/${module}/provider'`)) {
        problems.push(`kit/${module}/provider.ts is not listed in adonisrc.ts`)
      }
    }
    assert.deepEqual(problems, [])
  })

  test('package.json names each module entry and provider', async ({ assert }) => {
    const { aliases } = await loadGraph()
    for (const module of ['sessions', 'errors', 'security', 'runtime', 'generators']) {
      assert.equal(aliases[`#kit/${module}`], `./kit/${module}/index.js`)
    }
    for (const module of ['sessions', 'errors', 'security', 'runtime']) {
      assert.equal(aliases[`#kit/${module}/provider`], `./kit/${module}/provider.js`)
    }
  })

  test('the errors module loads no database or Redis package', async ({ assert }) => {
    const all = await sourceFiles('kit/errors')
    const files = all.filter(isModuleCode)
    assert.isNotEmpty(files)
    const sources = await Promise.all(files.map((file) => readFile(app.makePath(file), 'utf8')))
    assert.isFalse(
      sources.some((source) => /@adonisjs\/(lucid|redis)/.test(source)),
      'kit/errors loads no database or Redis package'
    )
  })
})

test.group('Architecture | imports', () => {
  test('no import cycle among the files of app/, kit/, config/, start/, commands/ and bin/', async ({
    assert,
  }) => {
    const { graph } = await loadGraph()
    assert.deepEqual(cyclesOf(runtimeGraph(graph)), [])
  })

  test('the checks see a broken rule', ({ assert }) => {
    const graph = new Map<string, Import[]>([
      [
        'kit/sessions/src/a.ts',
        [
          { specifier: '#config/app', target: 'config/app.ts', typeOnly: false },
          { specifier: '#kit/security/src/b', target: 'kit/security/src/b.ts', typeOnly: false },
          { specifier: '#kit/security', target: 'kit/security/index.ts', typeOnly: false },
          { specifier: '#kit/security/light', target: 'kit/security/src/b.ts', typeOnly: false },
          {
            specifier: '../../security/src/b.js',
            target: 'kit/security/src/b.ts',
            typeOnly: false,
          },
        ],
      ],
      [
        'kit/security/index.ts',
        [{ specifier: '#kit/sessions', target: 'kit/sessions/index.ts', typeOnly: false }],
      ],
      [
        'kit/sessions/index.ts',
        [{ specifier: './src/a.js', target: 'kit/sessions/src/a.ts', typeOnly: false }],
      ],
      [
        'kit/sessions/tests/unit/a.spec.ts',
        [
          { specifier: '#config/app', target: 'config/app.ts', typeOnly: false },
          { specifier: '#kit/security/src/b', target: 'kit/security/src/b.ts', typeOnly: false },
        ],
      ],
      [
        'kit/testing/c.ts',
        [{ specifier: '#kit/sessions/src/a', target: 'kit/sessions/src/a.ts', typeOnly: false }],
      ],
      [
        'app/controllers/c.ts',
        [
          { specifier: '#kit/sessions/src/a', target: 'kit/sessions/src/a.ts', typeOnly: false },
          { specifier: '#kit/sessions', target: 'kit/sessions/index.ts', typeOnly: false },
          { specifier: '#kit/security/light', target: 'kit/security/src/b.ts', typeOnly: false },
        ],
      ],
      [
        'adonisrc.ts',
        [{ specifier: '#kit/security/src/b', target: 'kit/security/src/b.ts', typeOnly: false }],
      ],
    ])
    const entries = new Set(['#kit/sessions', '#kit/security', '#kit/security/light'])
    assert.deepEqual(moduleViolations(graph, entries), {
      app: ['kit/sessions/src/a.ts -> #config/app'],
      deep: [
        'kit/sessions/src/a.ts -> #kit/security/src/b',
        'kit/sessions/src/a.ts -> ../../security/src/b.js',
      ],
      appDeep: [
        'app/controllers/c.ts -> #kit/sessions/src/a',
        'adonisrc.ts -> #kit/security/src/b',
      ],
    })
    assert.deepEqual(
      kitEntries({ '#kit/a': './kit/a/index.js', '#kit/*': './kit/*.js' }),
      new Set(['#kit/a'])
    )
    assert.lengthOf(cyclesOf(runtimeGraph(graph)), 1)
  })
})
