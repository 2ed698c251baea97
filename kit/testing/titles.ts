import { relative } from 'node:path'
import type { PluginFn } from '@japa/runner/types'

/**
 * Whether `text` holds a character a reporter cannot print on one line:
 * a C0 control (tab, line feed, escape...) or DEL.
 */
function hasControlCharacter(text: string) {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x20 || code === 0x7f) {
      return true
    }
  }
  return false
}

/**
 * A string as a test title shows it: unchanged when every character
 * prints, JSON-quoted otherwise (`"/\t/evil.example"`), so that a tab or a
 * line break in a dataset value never breaks the reporter's line.
 */
export function printable(value: string) {
  if (!hasControlCharacter(value)) {
    return value
  }
  /**
   * JSON escapes the C0 controls but leaves DEL as it is.
   */
  return JSON.stringify(value).replaceAll('\u007f', '\\u007f')
}

/**
 * Dataset rows for a list of strings, each with its printable form: a
 * title says `{printed}`, the test reads `value`.
 *
 * ```ts
 * test('falls back to / for {printed}')
 *   .with(printableRows(['//evil.example', '/\t/evil.example']))
 *   .run(({ assert }, { value }) => ...)
 * ```
 */
export function printableRows(values: string[]) {
  return values.map((value) => ({ value, printed: printable(value) }))
}

/**
 * What is wrong with a test title, or undefined when nothing is: a title
 * must print on one line and say what its dataset row is (an object row
 * interpolated with `{$self}` reads "[object Object]").
 */
export function titleFault(title: string): string | undefined {
  if (hasControlCharacter(title)) {
    return 'it holds a control character (a tab or a line break breaks the line)'
  }
  if (title.includes('[object Object]')) {
    return 'it reads [object Object] (name a field of the row: "{field}")'
  }
}

/**
 * Japa plugin: a run whose test titles do not print (see `titleFault`)
 * fails, after its tests, naming each title, its file and what is wrong.
 */
export function printableTitles(): PluginFn {
  return ({ emitter }) => {
    const faults: string[] = []
    emitter.on('test:end', (test) => {
      const fault = titleFault(test.title.expanded)
      if (fault) {
        const file = test.meta.fileName ? ` (${relative(process.cwd(), test.meta.fileName)})` : ''
        faults.push(`  ${JSON.stringify(test.title.expanded)}${file}: ${fault}`)
      }
    })
    emitter.on('runner:end', (summary) => {
      if (!faults.length) {
        return
      }
      /**
       * This listener runs before Japa's own (plugins are registered
       * first), so the summary reports the run as failed.
       */
      summary.hasError = true
      process.exitCode = 1
      console.error(
        [`${faults.length} test title(s) do not print on one line:`, ...faults].join('\n')
      )
    })
  }
}
