import type { ErrorDescription } from '#kit/errors/src/error_description'

/**
 * What a status page template receives, as `page`. Only safe values:
 * never the error object itself (its stack, its cause).
 */
export type StatusPageData = {
  status: number
  title: string
  /**
   * The error's own message, for 4xx errors that have one worth showing.
   */
  detail: string | null
  requestId: string | null
  /**
   * Unmet requirements, in plain words (the 403 page of a failed claim
   * lists them).
   */
  requirements: string[]
  /**
   * What the app adds for its pages (`respond(error, ctx, page)`), for
   * example the form the 403 page offers.
   */
  [extra: string]: unknown
}

/**
 * What some status pages add to the safe values.
 */
export type StatusPageExtra = {
  requirements?: string[]
  [extra: string]: unknown
}

/**
 * Picks the values a status page may show.
 */
export function statusPageData(
  error: ErrorDescription,
  extra: StatusPageExtra = {}
): StatusPageData {
  const showDetail =
    error.status < 500 && error.code !== 'E_ROUTE_NOT_FOUND' && error.message !== error.title

  return {
    ...extra,
    status: error.status,
    title: error.title,
    detail: showDetail ? error.message : null,
    requestId: error.requestId ?? null,
    requirements: extra.requirements ?? [],
  }
}
