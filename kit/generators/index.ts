/**
 * Generators: the kit's "make:exception" command (it replaces core's),
 * with its stubs in "stubs/". Its commands are registered through
 * "#kit/generators/commands", listed in the "commands" of "adonisrc.ts"
 * after "@adonisjs/core/commands". No provider: it registers no service.
 */

export { default as MakeException } from './src/make_exception.js'
