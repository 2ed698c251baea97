/**
 * First-run lines waiting for the dev server to clear the screen (which it
 * does unless given --no-clear, as "npm run dev" is).
 */
const pending: string[] = []

/**
 * Keeps a first-run line for `printDeferredNotices`. A bare "node ace
 * serve" clears the screen as it starts, which would wipe a line printed
 * before.
 */
export function deferNotice(line: string) {
  pending.push(line)
}

/**
 * Assembler "init" hook (adonisrc.ts): prints the deferred first-run lines.
 * It runs in the "node ace serve" process once the dev server has started
 * (and cleared the screen, unless --no-clear), and in the test runner and
 * the build, with nothing to print.
 */
export default function printDeferredNotices() {
  for (const line of pending.splice(0)) {
    console.log(line)
  }
}
