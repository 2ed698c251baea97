import string from '@adonisjs/core/helpers/string'

/**
 * Env validator for an optional duration: "10s", "500ms", "1 min" or a
 * number of milliseconds. It refuses anything else, and negative values,
 * when the app boots rather than when the value is first used.
 */
export function duration(key: string, value?: string): string | undefined {
  if (value === undefined || value === '') {
    return undefined
  }

  let milliseconds: number
  try {
    milliseconds = string.milliseconds.parse(value)
  } catch {
    milliseconds = Number.NaN
  }

  if (!Number.isFinite(milliseconds) || milliseconds < 0) {
    throw new Error(
      `"${key}" must be a duration such as "10s" or "500ms" (or a number of milliseconds); got "${value}"`
    )
  }

  return value
}
