import { ListLoader } from '@adonisjs/core/ace'
import type { CommandMetaData } from '@adonisjs/core/types/ace'
import MakeException from '#kit/generators/src/make_exception'

/**
 * The app's commands that replace a core command of the same name.
 *
 * A file in "commands/" is not enough for that: when the command to run is
 * already known from "adonisrc.ts" loaders, ace does not scan "commands/",
 * so core's command would run. This loader is listed in "adonisrc.ts" after
 * "@adonisjs/core/commands", and the kernel keeps the command of the last
 * loader that has it: "node ace list" shows one "make:exception", ours.
 *
 * These files start with "_" so that ace does not scan them as commands of
 * "commands/" (they are loaded here): the scan needs a default export from
 * every file (this one has none) and would register "make:exception" a
 * second time. The prefix also keeps them out of the scan's validation with
 * "jsonschema" 1.5.0, said to throw "Invalid URL" on Node.js 24.20 (not
 * reproduced on Node.js 24.22.3).
 */
const loader = new ListLoader([MakeException])

/**
 * The metadata of the commands (loader contract).
 */
export function getMetaData() {
  return loader.getMetaData()
}

/**
 * The command class for a command's metadata (loader contract).
 */
export function getCommand(metaData: CommandMetaData) {
  return loader.getCommand(metaData)
}
