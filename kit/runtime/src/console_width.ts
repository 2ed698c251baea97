/**
 * Gives ace a terminal width without asking the system for one, when its
 * output goes to a pipe or a file (CI, scripts, `node ace list | less`).
 *
 * Ace's UI library reads the terminal size once, as it loads. With no
 * terminal on stdout or stderr and no COLUMNS/LINES in the environment,
 * it spawns `tput cols`, `tput lines` and `resize` to find one: three
 * child processes on every command, about a twentieth of the start-up
 * time of `node ace make:exception` (see docs/performance.md). Output that
 * goes to no terminal has no width to find: this sets the same 80x24 those
 * probes fall back to.
 *
 * A terminal (the usual case) is left alone: its real size is used.
 * Imported first by "bin/console.ts", before anything loads the UI.
 */
export function useDefaultWidthWithoutTerminal(
  streams: { stdout: { isTTY?: boolean }; stderr: { isTTY?: boolean } },
  env: NodeJS.ProcessEnv
) {
  if (streams.stdout.isTTY || streams.stderr.isTTY || (env.COLUMNS && env.LINES)) {
    return
  }
  env.COLUMNS ??= '80'
  env.LINES ??= '24'
}

useDefaultWidthWithoutTerminal(process, process.env)
