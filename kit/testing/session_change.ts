import type { SessionChange } from '#kit/sessions/src/types'

/**
 * A write of `data` for a family store's own tests: applied over whatever
 * the session holds (no merge), as a request that read nothing would.
 */
export function overwrite(data: Record<string, any>, userId: string | null = null): SessionChange {
  return { base: '', data, userId, rebase: () => ({ data, userId }) }
}
