/**
 * Builds an error without capturing a stack trace.
 *
 * For the answers the kit raises on purpose, many times a second under
 * load (E_UNAUTHORIZED, E_INVALID_CLAIM from the auth middleware): their
 * stack would always point at the same middleware, and capturing it
 * (twice: `Error`, then `@poppinss/exception`) is the most expensive step
 * of building them. Their `stack` is the one line "Name: message"; a
 * report of them still names the route, the user and the request.
 * Errors that are bugs keep their stack.
 */
export function withoutStackTrace<T extends Error>(build: () => T): T {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return build()
  } finally {
    Error.stackTraceLimit = limit
  }
}
