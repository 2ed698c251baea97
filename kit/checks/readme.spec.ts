import { readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'

/**
 * Routes whose pattern starts with one of these are test or bench
 * fixtures (kit/testing/fixtures/, kit/bench/routes.ts), not routes of the app.
 */
const FIXTURE_PREFIXES = ['/__test__', '/__bench__']

/**
 * The text of a file of the app.
 */
function readAppFile(path: string) {
  return readFile(app.makePath(path), 'utf8')
}

/**
 * The source without its comments (string literals are kept as they are,
 * so a "//" inside a string does not start a comment).
 */
function stripComments(source: string) {
  let output = ''
  let index = 0
  while (index < source.length) {
    const char = source[index]
    const next = source[index + 1]
    if (char === '/' && next === '/') {
      const end = source.indexOf('\n', index)
      index = end === -1 ? source.length : end
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', index + 2)
      index = end === -1 ? source.length : end + 2
    } else if (char === '"' || char === "'" || char === '`') {
      let end = index + 1
      while (end < source.length && source[end] !== char) {
        end += source[end] === '\\' ? 2 : 1
      }
      output += source.slice(index, end + 1)
      index = end + 1
    } else {
      output += char
      index++
    }
  }
  return output
}

/**
 * The keys of the schema object given to `Env.create(appRoot, { ... })`:
 * the names at the top level of the first object literal inside the call.
 */
function envSchemaKeys(source: string) {
  const code = stripComments(source)
  const call = code.indexOf('Env.create(')
  if (call === -1) {
    throw new Error('start/env.ts has no "Env.create(" call')
  }
  const objectStart = code.indexOf('{', call)

  const keys: string[] = []
  let depth = 0
  let atPropertyStart = false
  for (let index = objectStart; index < code.length; index++) {
    const char = code[index]
    if (depth === 1 && atPropertyStart) {
      const property = /^\s*(?:(['"])([^'"]+)\1|([A-Za-z_$][\w$]*))\s*:/.exec(code.slice(index))
      if (property) {
        keys.push(property[2] ?? property[3])
      }
      atPropertyStart = false
    }
    if (char === '"' || char === "'" || char === '`') {
      let end = index + 1
      while (end < code.length && code[end] !== char) {
        end += code[end] === '\\' ? 2 : 1
      }
      index = end
    } else if ('([{'.includes(char)) {
      depth++
      atPropertyStart = depth === 1
    } else if (')]}'.includes(char)) {
      depth--
      if (depth === 0) {
        break
      }
    } else if (char === ',' && depth === 1) {
      atPropertyStart = true
    }
  }
  return keys
}

/**
 * The routes of the booted app as "METHOD /pattern", fixtures left out.
 * The HTTP server commits the router when it starts; the unit suite does
 * not start it, so the routes are committed here when nobody did yet
 * (every test file, fixture routes included, is imported before any test
 * runs, so nothing is registered after this).
 */
function appRoutes() {
  if (!router.commited) {
    router.commit()
  }
  return Object.values(router.toJSON())
    .flat()
    .filter((route) => !FIXTURE_PREFIXES.some((prefix) => route.pattern.startsWith(prefix)))
    .flatMap((route) =>
      route.methods
        .filter((method) => method !== 'HEAD')
        .map((method) => `${method} ${route.pattern}`)
    )
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

test.group('README', (group) => {
  let readme: string
  group.setup(async () => {
    readme = await readAppFile('README.md')
  })

  test('the env.ts parser finds the keys of the schema object', ({ assert }) => {
    const source = `
      import { Env } from '@adonisjs/core/env'
      // NOT_A_KEY: comment
      export default await Env.create(new URL('../', import.meta.url), {
        /* HIDDEN: Env.schema.string() */
        NODE_ENV: Env.schema.enum(['development', 'production'] as const),
        LOG_LEVEL: Env.schema.enum([
          'info',
          'debug: no key',
        ] as const),
        APP_KEY: appKey,
        NESTED: Env.schema.string.optional({ format: 'host' }),
        'QUOTED': Env.schema.string(),
      })
    `
    assert.deepEqual(envSchemaKeys(source), [
      'NODE_ENV',
      'LOG_LEVEL',
      'APP_KEY',
      'NESTED',
      'QUOTED',
    ])
  })

  test('names every environment variable of start/env.ts', async ({ assert }) => {
    const names = envSchemaKeys(await readAppFile('start/env.ts'))
    assert.includeMembers(names, ['NODE_ENV', 'APP_KEY', 'SHUTDOWN_TIMEOUT'], 'env.ts parsing')

    const missing = names.filter(
      (name) => !new RegExp(`(?<![A-Z0-9_])${name}(?![A-Z0-9_])`).test(readme)
    )
    assert.deepEqual(
      missing,
      [],
      `README.md does not mention ${missing.length} environment variable(s) of start/env.ts: ` +
        `${missing.join(', ')}. Add each to the "Environment variables" table ` +
        `(name, default, meaning).`
    )
  })

  test('lists every route of start/routes.ts', async ({ assert }) => {
    const routes = appRoutes()
    assert.includeMembers(routes, ['GET /', 'POST /login'], 'the routes of the booted app')

    const missing = routes.filter(
      (route) => !new RegExp(`${escapeRegExp(route)}(?![\\w/:.-])`).test(readme)
    )
    assert.deepEqual(
      missing,
      [],
      `README.md does not list ${missing.length} route(s) of start/routes.ts: ` +
        `${missing.join(', ')}. Add each to the "Routes" table as \`METHOD /path\` ` +
        `(with its name, middleware and what it does).`
    )
  })
})
