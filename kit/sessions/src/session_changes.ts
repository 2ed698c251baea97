import { isDeepStrictEqual } from 'node:util'

/**
 * Session data: the values @adonisjs/session keeps for a session.
 */
export type SessionValues = Record<string, any>

/**
 * Applies what one request changed in the session data onto the data
 * another request stored in the meantime, so that neither request's
 * changes are lost.
 *
 * `base` is the data as the request read it, `mine` what it would store,
 * `theirs` what the store holds now. The rule, key by key:
 *
 * - a key the request left as it read it keeps the stored value (`theirs`);
 * - a key the request set or removed takes the request's value: where the
 *   other request changed the same key too, the later commit wins;
 * - the flash messages (`flashKey`) are merged message by message. Reading
 *   them removes them from the session, so a request that displayed the
 *   messages it read does not remove messages flashed since; where both
 *   requests flashed the same message key, the later commit's wins.
 */
export function rebaseSessionData(
  base: SessionValues,
  mine: SessionValues,
  theirs: SessionValues,
  flashKey: string
): SessionValues {
  const result = { ...theirs }
  for (const key of new Set([...Object.keys(base), ...Object.keys(mine)])) {
    if (isDeepStrictEqual(base[key], mine[key])) {
      continue
    }
    if (key === flashKey) {
      setOrRemove(result, key, mergeFlash(base[key], mine[key], theirs[key]))
    } else {
      setOrRemove(result, key, Object.hasOwn(mine, key) ? mine[key] : undefined)
    }
  }
  return result
}

/**
 * The flash messages after both requests: those flashed by the other
 * request (when it changed them), then this request's.
 */
function mergeFlash(base: unknown, mine: unknown, theirs: unknown) {
  const flashedByThem = isDeepStrictEqual(theirs, base) ? {} : asObject(theirs)
  const merged = { ...flashedByThem, ...asObject(mine) }
  return Object.keys(merged).length ? merged : undefined
}

function asObject(value: unknown): SessionValues {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as SessionValues) : {}
}

function setOrRemove(values: SessionValues, key: string, value: unknown) {
  if (value === undefined) {
    delete values[key]
  } else {
    values[key] = value
  }
}

/**
 * Session data stored as JSON; `{}` when it cannot be read.
 */
export function parseSessionData(json: string): SessionValues {
  try {
    const data = JSON.parse(json)
    return data && typeof data === 'object' && !Array.isArray(data) ? data : {}
  } catch {
    return {}
  }
}
