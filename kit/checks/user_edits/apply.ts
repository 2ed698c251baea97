/*
|--------------------------------------------------------------------------
| The edits a user typically makes to a fresh clone, applied to a copy
|--------------------------------------------------------------------------
|
| Run by ".ci/user_edits" in a scratch copy of the repository, never in the
| repository itself:
|
|   node --import=@poppinss/ts-exec kit/checks/user_edits/apply.ts <copy>
|
| It edits the copy as a user would: a controller and three routes, a
| changed hook body in the exception handler, a new status page (402), a
| new field in the handler's `context()`, and a generated exception
| (`make:exception --report --handle --test`). Then `npm test` must pass
| there: the template's tests may not fail on a user's intended edits.
|
| The handler is edited by anchoring on what a user sees in it (the method
| names `onUnauthorized(` and `context(`, the `statusPages` map and its
| '404' entry), not on line numbers or surrounding code, so that the edits
| survive changes to the rest of the handler.
|
*/

import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const root = process.argv[2]
if (!root) {
  throw new Error('Usage: apply.ts <scratch copy of the repository>')
}

/**
 * Runs an ace command in the copy; throws when it fails.
 */
function ace(...args: string[]) {
  const result = spawnSync(process.execPath, ['ace', ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'development' },
  })
  if (result.status !== 0) {
    throw new Error(`node ace ${args.join(' ')} failed (exit code ${result.status})`)
  }
}

/**
 * Rewrites one file of the copy.
 */
async function edit(path: string, change: (source: string) => string) {
  const file = join(root, path)
  const before = await readFile(file, 'utf8')
  const after = change(before)
  if (after === before) {
    throw new Error(`Nothing changed in ${path}`)
  }
  await writeFile(file, after)
  console.log(`edited ${path}`)
}

/**
 * Where the definition of a method starts (a line that begins with its
 * name, after modifiers: calls such as `this.name(` and comments are
 * skipped), and its parameters' names and the index just after the `{`
 * that opens its body.
 */
function methodOf(source: string, name: string) {
  const definition = new RegExp(
    `^[ \\t]*(?:(?:public|protected|private|override|async)\\s+)*${name}\\s*\\(`,
    'm'
  )
  const match = definition.exec(source)
  if (!match) {
    throw new Error(`No method ${name}() in the handler`)
  }
  const open = match.index + match[0].length
  const close = source.indexOf(')', open)
  const parameters = source
    .slice(open, close)
    .split(',')
    .map((parameter) => parameter.split(':')[0].trim())
    .filter(Boolean)
  const body = source.indexOf('{', close) + 1
  return { parameters, body }
}

/**
 * The `{` of a method's body that opens the object it returns.
 */
function returnedObjectOf(source: string, fromIndex: number) {
  const match = /return\s*\{/g
  match.lastIndex = fromIndex
  const found = match.exec(source)
  if (!found) {
    throw new Error('context() returns no object literal')
  }
  return found.index + found[0].length
}

const HANDLER = 'app/exceptions/handler.ts'

/**
 * 1. A generated exception: 402, reported through the handler's
 *    `context()`, with its own `handle()` and a spec.
 */
ace('make:exception', 'PaymentRequired', '--status=402', '--report', '--handle', '--test')

/**
 * 2. A controller (made by ace, given a body) and its routes.
 */
ace('make:controller', 'payments')
await edit('app/controllers/payments_controller.ts', (source) =>
  source
    .replace(
      /^/,
      "import type { HttpContext } from '@adonisjs/core/http'\n" +
        "import PaymentRequiredException from '#exceptions/payment_required_exception'\n"
    )
    .replace(
      /export default class PaymentsController \{[^]*$/,
      `export default class PaymentsController {
  async index({ response }: HttpContext) {
    return response.json({ payments: [] })
  }

  async show({ params, response }: HttpContext) {
    return response.json({ id: params.id })
  }

  async checkout() {
    throw new PaymentRequiredException()
  }
}
`
    )
)
await edit(
  'start/routes.ts',
  (source) =>
    source +
    `
/**
 * Payments (a user's own section).
 */
const PaymentsController = () => import('#controllers/payments_controller')
router.get('/payments', [PaymentsController, 'index']).as('payments.index')
router.get('/payments/checkout', [PaymentsController, 'checkout']).as('payments.checkout')
router
  .get('/payments/:id', [PaymentsController, 'show'])
  .as('payments.show')
  .use(middleware.auth())
`
)

/**
 * 3. A changed hook body: API clients of the payments section read
 *    another message when they are not signed in.
 */
await edit(HANDLER, (source) => {
  const { parameters, body } = methodOf(source, 'onUnauthorized')
  const ctx = parameters[1] ?? 'ctx'
  return (
    source.slice(0, body) +
    `
    if (${ctx}.request.url().startsWith('/payments/')) {
      return ${ctx}.response.status(401).send({ message: 'Sign in to see your payments' })
    }
` +
    source.slice(body)
  )
})

/**
 * 4. A new status page: 402, next to the 404 page, rendered as the 404
 *    entry of `statusPages` renders its page.
 */
await mkdir(join(root, 'resources/views/errors'), { recursive: true })
const notFoundView = await readFile(join(root, 'resources/views/errors/not_found.edge'), 'utf8')
await writeFile(
  join(root, 'resources/views/errors/payment_required.edge'),
  notFoundView
    .replace(/heading: '[^']*'/, "heading: 'Payment required'")
    .replace(/<p>[^]*<\/p>/, '<p>This page is for paying customers.</p>')
)
await edit(HANDLER, (source) => {
  const map = source.search(/\bstatusPages\b[^=]*=/)
  if (map === -1) {
    throw new Error('No statusPages in the handler')
  }
  const entry = /^(\s*)'404':(.*)$/m.exec(source.slice(map))
  if (!entry) {
    throw new Error("No '404' entry in statusPages")
  }
  const at = map + entry.index
  const page = entry[0]
    .replace("'404'", "'402'")
    .replace('errors/not_found', 'errors/payment_required')
  if (page === entry[0].replace("'404'", "'402'")) {
    throw new Error("The '404' entry of statusPages does not name errors/not_found")
  }
  return source.slice(0, at) + page + '\n' + source.slice(at)
})

/**
 * 5. A new field in `context()`, reported with every error (and by the
 *    generated exception's `report()`).
 */
await edit(HANDLER, (source) => {
  const { parameters, body } = methodOf(source, 'context')
  const ctx = parameters[0] ?? 'ctx'
  const at = returnedObjectOf(source, body)
  return (
    source.slice(0, at) +
    `\n      userAgent: ${ctx}.request.header('user-agent'),` +
    source.slice(at)
  )
})

/**
 * 6. The user's own test of what they added.
 */
await mkdir(join(root, 'tests/functional'), { recursive: true })
await writeFile(
  join(root, 'tests/functional/payments.spec.ts'),
  `import { test } from '@japa/runner'

test.group('Payments', () => {
  test('lists payments', async ({ client }) => {
    const response = await client.get('/payments')
    response.assertStatus(200)
    response.assertBody({ payments: [] })
  })

  test('one payment needs a sign-in, with its own message', async ({ client }) => {
    const response = await client.get('/payments/1').header('accept', 'application/json')
    response.assertStatus(401)
    response.assertBody({ message: 'Sign in to see your payments' })
  })

  test('the checkout answers 402', async ({ client }) => {
    const response = await client.get('/payments/checkout').header('accept', 'application/json')
    response.assertStatus(402)
  })
})
`
)

if (!existsSync(join(root, 'app/exceptions/payment_required_exception.ts'))) {
  throw new Error('make:exception wrote no app/exceptions/payment_required_exception.ts')
}
console.log('user edits applied')
