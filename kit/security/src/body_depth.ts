/**
 * Character codes the JSON scan looks at.
 */
const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d

/**
 * True when JSON text opens more than `maxDepth` objects and arrays
 * inside each other. One pass over the text, before it is parsed:
 * parsing a deeply nested body costs many times what a flat one of the
 * same size does, and overflows the stack when a reviver walks it. Text
 * inside strings is skipped with `indexOf`; invalid JSON is left for the
 * parser to refuse.
 */
export function jsonNestingExceeds(text: string, maxDepth: number): boolean {
  let depth = 0
  let index = 0
  while (index < text.length) {
    const code = text.charCodeAt(index)
    if (code === QUOTE) {
      const end = closingQuote(text, index)
      if (end === -1) {
        return false
      }
      index = end + 1
      continue
    }
    if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      depth++
      if (depth > maxDepth) {
        return true
      }
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      depth--
    }
    index++
  }
  return false
}

/**
 * The index of the quote that ends the string opened at `start` (a quote
 * preceded by an even number of backslashes), or -1.
 */
function closingQuote(text: string, start: number): number {
  let end = text.indexOf('"', start + 1)
  while (end !== -1) {
    let backslashes = 0
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) {
      backslashes++
    }
    if (backslashes % 2 === 0) {
      return end
    }
    end = text.indexOf('"', end + 1)
  }
  return -1
}

/**
 * True when a parsed body (plain objects and arrays; any other value is
 * a leaf, an uploaded file included) nests more than `maxDepth` levels:
 * the body itself is level 1. Walked without recursion, and it stops at
 * the first value past the limit.
 */
export function nestingExceeds(value: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[value, 1]]
  while (pending.length) {
    const [current, depth] = pending.pop()!
    if (!isContainer(current)) {
      continue
    }
    if (depth > maxDepth) {
      return true
    }
    for (const child of Object.values(current)) {
      if (isContainer(child)) {
        pending.push([child, depth + 1])
      }
    }
  }
  return false
}

/**
 * Arrays and plain objects (with Object's prototype or none).
 */
function isContainer(value: unknown): value is object {
  if (Array.isArray(value)) {
    return true
  }
  if (typeof value !== 'object' || value === null) {
    return false
  }
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
