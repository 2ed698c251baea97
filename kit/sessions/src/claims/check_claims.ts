import type { Session } from '@adonisjs/session'
import type { Claim, ClaimValidator } from '#kit/sessions/src/claims/claim'
import type { ClaimFailure } from '#kit/sessions/src/exceptions/invalid_claim_exception'

/**
 * The session key holding claim values: `{ [claimId]: { value, fetchedAt } }`.
 */
export const CLAIMS_SESSION_KEY = 'claims'

type StoredClaims = Record<string, { value: unknown; fetchedAt: number }>

/**
 * Runs the validators against the claim values kept in the session,
 * fetching values that are missing or older than their claim's `maxAgeMs`.
 * Returns the failures, and whether a value changed since it was last
 * fetched (privileges changed: the session token should rotate).
 */
export async function checkClaims(
  session: Session,
  user: unknown,
  validators: ClaimValidator[],
  now = Date.now()
): Promise<{ failures: ClaimFailure[]; changed: boolean }> {
  const stored: StoredClaims = { ...session.get(CLAIMS_SESSION_KEY, {}) }
  let changed = false
  let refreshed = false

  for (const claim of new Set(validators.map((validator) => validator.claim))) {
    const entry = stored[claim.id]
    if (entry && now - entry.fetchedAt < claim.maxAgeMs) {
      continue
    }
    const value = await claim.fetchValue(user, session)
    if (entry && JSON.stringify(entry.value) !== JSON.stringify(value)) {
      changed = true
    }
    stored[claim.id] = { value, fetchedAt: now }
    refreshed = true
  }

  if (refreshed) {
    session.put(CLAIMS_SESSION_KEY, stored)
  }

  const failures: ClaimFailure[] = []
  for (const validator of validators) {
    const reason = validator.validate(stored[validator.claim.id]?.value)
    if (reason) {
      failures.push({ id: validator.id, requirement: validator.requirement, reason })
    }
  }
  return { failures, changed }
}

/**
 * Fetches one claim's value now and keeps it in the session, whatever its
 * age (a privilege just changed: the user verified their email). The
 * caller rotates the session token.
 */
export async function refreshClaim(
  session: Session,
  user: unknown,
  claim: Claim<unknown, any>,
  now = Date.now()
) {
  const stored: StoredClaims = { ...session.get(CLAIMS_SESSION_KEY, {}) }
  stored[claim.id] = { value: await claim.fetchValue(user, session), fetchedAt: now }
  session.put(CLAIMS_SESSION_KEY, stored)
}
