import { MIGRATE_COMMAND } from '#kit/runtime/src/pending_migrations'

/**
 * The part of the build's closing instructions (`@poppinss/cliui`'s
 * `Instructions`) that the hook below uses.
 */
export type BuildInstructions = {
  heading(text: string): unknown
  add(text: string): unknown
  render(): void
}

/**
 * Where the first deploy is described, step by step.
 */
export const CHECKLIST = 'docs/production.md'

/**
 * The heading of the build's closing instructions.
 */
export const HEADING = `Run these commands to start the server (first deploy: the checklist in ${CHECKLIST})`

/**
 * The migrations line, before the command that starts the server.
 */
const MIGRATIONS_LINE = `${MIGRATE_COMMAND}   # each release, before the server starts`

/**
 * Assembler "buildFinished" hook (adonisrc.ts). The build ends with the
 * commands that start the server ("cd build", the install, "node
 * bin/server.js"), which the assembler adds after its hooks ran. A new
 * release also needs its migrations, run before the server starts, and a
 * first deploy more (APP_KEY, HTTPS, the database, the first admin): the
 * heading points at the checklist, and the migrations command goes in
 * before the start command (last, if no start command is recognised).
 */
export default function pointAtTheChecklist(_bundler: unknown, instructions: BuildInstructions) {
  const add = instructions.add.bind(instructions)
  const render = instructions.render.bind(instructions)
  let migrationsNamed = false

  instructions.heading(HEADING)
  instructions.add = (text: string) => {
    if (!migrationsNamed && text.includes('bin/server.js')) {
      migrationsNamed = true
      add(MIGRATIONS_LINE)
    }
    return add(text)
  }
  instructions.render = () => {
    if (!migrationsNamed) {
      migrationsNamed = true
      add(MIGRATIONS_LINE)
    }
    render()
  }
}
