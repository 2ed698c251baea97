/**
 * The runtime module's assembler hook for "node ace build" (listed under
 * `hooks.buildFinished` in "adonisrc.ts"): the build's closing lines name
 * the migrations and the first-deploy checklist. A separate entry: the
 * assembler loads it in its own process, without the app.
 */

export { default } from './src/build_banner.js'
