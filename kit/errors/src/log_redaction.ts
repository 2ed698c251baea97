/**
 * How deep in a log object secret keys are looked for (the top level is
 * depth 0). Deeper values are logged as they are; cycles stop here too.
 */
const MAX_REDACTION_DEPTH = 8

/**
 * A function that returns a log value with the values of secret keys
 * replaced by `censor`, at any depth up to `MAX_REDACTION_DEPTH`, in plain
 * objects (also null-prototype ones, such as Node's request headers) and
 * arrays. Keys match whatever their case ("Authorization", "apiKey").
 *
 * The value given is never changed: only the objects on the way to a
 * secret are copied, and a value without secrets is returned as it is.
 * A reference back to an object being walked (a cycle) becomes
 * "[Circular]", so that the copy never leads back to the original.
 * Errors, class instances, Maps and Buffers are left to their serializers
 * (pass a serializer's output through this function to cover it too).
 *
 * For "config/logger.ts": pino's own `redact` takes paths, and its
 * wildcard paths (`*.password`) made every log line and every request's
 * child logger pay for each path, about 3 µs per child logger and 10 µs
 * per line on the bench machine; this costs a Set lookup per key.
 */
export function redactKeys(keys: readonly string[], censor = '[redacted]') {
  const secrets = new Set(keys.map((key) => key.toLowerCase()))
  const isSecret = (key: string) => secrets.has(key) || secrets.has(key.toLowerCase())

  function redact(value: unknown, depth: number, walking: object[]): unknown {
    if (value === null || typeof value !== 'object' || depth > MAX_REDACTION_DEPTH) {
      return value
    }
    if (walking.includes(value)) {
      return '[Circular]'
    }
    walking.push(value)
    try {
      return redactObject(value, depth, walking)
    } finally {
      walking.pop()
    }
  }

  function redactObject(value: object, depth: number, walking: object[]): unknown {
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined
      for (let index = 0; index < value.length; index++) {
        const item = value[index]
        const redacted = redact(item, depth + 1, walking)
        if (redacted !== item) {
          copy ??= [...value]
          copy[index] = redacted
        }
      }
      return copy ?? value
    }
    const prototype = Object.getPrototypeOf(value)
    if (prototype !== Object.prototype && prototype !== null) {
      return value
    }
    const object = value as Record<string, unknown>
    let copy: Record<string, unknown> | undefined
    for (const key of Object.keys(object)) {
      const item = object[key]
      const redacted = isSecret(key) ? censor : redact(item, depth + 1, walking)
      if (redacted !== item) {
        copy ??= Object.assign(Object.create(prototype), object)
        copy![key] = redacted
      }
    }
    return copy ?? value
  }

  return <T>(value: T): T => redact(value, 0, []) as T
}
