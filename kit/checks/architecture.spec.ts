import { test } from '@japa/runner'
import { readFile, readdir } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import app from '@adonisjs/core/services/app'

/**
 * The app's own TypeScript files under a folder, as paths relative to
 * the app root.
 */
async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(app.makePath(folder), { recursive: true })
  return entries.filter((entry) => entry.endsWith('.ts')).map((entry) => join(folder, entry))
}

/**
 * The app files a file imports (statically or with `import()`): "#alias/x"
 * through package.json "imports", and relative paths. Packages are left
 * out.
 */
async function importsOf(file: string, aliases: Record<string, string>): Promise<string[]> {
  const source = await readFile(app.makePath(file), 'utf8')
  const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map(
    (match) => match[1]
  )
  return specifiers.flatMap((specifier) => {
    if (specifier.startsWith('#')) {
      const [alias, ...rest] = specifier.split('/')
      const target = aliases[`${alias}/*`]
      return target ? [join(target.replace('/*.js', ''), `${rest.join('/')}.ts`)] : []
    }
    if (specifier.startsWith('.')) {
      const path = relative(app.makePath(), resolve(dirname(app.makePath(file)), specifier))
      return [path.replace(/\.js$/, '.ts')]
    }
    return []
  })
}

/**
 * The import graph of app/, providers/, start/, config/ and commands/.
 */
async function importGraph() {
  const pkg = JSON.parse(await readFile(app.makePath('package.json'), 'utf8'))
  const aliases = pkg.imports as Record<string, string>
  const folders = await Promise.all(
    ['app', 'providers', 'start', 'config', 'commands'].map(sourceFiles)
  )
  const files = folders.flat()
  const graph = new Map<string, string[]>()
  for (const file of files) {
    const targets = await importsOf(file, aliases)
    graph.set(
      file,
      targets.map((target) => target.replace(/^\.\//, ''))
    )
  }
  return graph
}

test.group('Architecture | imports', () => {
  test('no import cycle among the app files', async ({ assert }) => {
    const graph = await importGraph()
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
    assert.deepEqual(cycles, [])
  })

  test('app/errors imports nothing from app/exceptions, app/services, config or the database', async ({
    assert,
  }) => {
    const graph = await importGraph()
    const forbidden = [...graph.entries()]
      .filter(([file]) => file.startsWith('kit/errors/src/'))
      .flatMap(([file, targets]) =>
        targets
          .filter((target) => /^(app\/exceptions|app\/services|config|database)\//.test(target))
          .map((target) => `${file} -> ${target}`)
      )
    assert.deepEqual(forbidden, [])

    const files = await sourceFiles('app/errors')
    const sources = await Promise.all(files.map((file) => readFile(app.makePath(file), 'utf8')))
    assert.isFalse(
      sources.some((source) => /@adonisjs\/(lucid|redis)/.test(source)),
      'app/errors loads no database or Redis package'
    )
  })
})
