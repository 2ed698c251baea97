import PasskeyRejectedException from '#kit/mfa/src/passkey_rejected_exception'

/**
 * The three ceremonies: adding a passkey, giving it as the second factor
 * of a password sign-in, and signing in with it alone.
 */
export type PasskeyCeremony = 'registration' | 'second_factor' | 'confirm' | 'sign_in'

/**
 * What the session needs to offer for the challenge store (Adonis's
 * `Session` has both).
 */
export type ChallengeSession = {
  put(key: string, value: unknown): void
  pull(key: string, defaultValue?: unknown): any
}

/**
 * A challenge as kept in the session.
 */
type StoredChallenge = {
  ceremony: PasskeyCeremony
  challenge: string
  expiresAt: number
  userId?: string | number
}

/**
 * The session key of the pending challenge.
 */
export const PASSKEY_CHALLENGE_SESSION_KEY = 'passkey_challenge'

/**
 * The challenge of a pending ceremony, kept in the session (never sent
 * back by the client as proof: the signed response must carry the one
 * stored here). One at a time: new options replace the previous
 * challenge. Taken once: the first response, good or bad, uses it up,
 * so a response cannot be posted again, and an old one cannot be kept
 * for later (it expires).
 */
export class PasskeyChallenges {
  constructor(readonly lifetimeMs: number) {}

  /**
   * Keeps `challenge` for `ceremony` (and, when the ceremony is about a
   * user already known, that user) until `now + lifetimeMs`.
   */
  remember(
    session: ChallengeSession,
    ceremony: PasskeyCeremony,
    challenge: string,
    options: { userId?: string | number; now?: number } = {}
  ) {
    const stored: StoredChallenge = {
      ceremony,
      challenge,
      expiresAt: (options.now ?? Date.now()) + this.lifetimeMs,
      ...(options.userId === undefined ? {} : { userId: options.userId }),
    }
    session.put(PASSKEY_CHALLENGE_SESSION_KEY, stored)
  }

  /**
   * Takes the pending challenge out of the session and returns it when it
   * is of `ceremony`, for `userId` (when given) and not expired. Throws
   * E_PASSKEY_REJECTED (reason `challenge`) otherwise: no challenge, used
   * already, of another ceremony or user, or too old. The challenge is
   * gone either way.
   */
  take(
    session: ChallengeSession,
    ceremony: PasskeyCeremony,
    options: { userId?: string | number; now?: number } = {}
  ): string {
    const stored = session.pull(PASSKEY_CHALLENGE_SESSION_KEY) as StoredChallenge | undefined
    const now = options.now ?? Date.now()
    if (
      !stored ||
      typeof stored.challenge !== 'string' ||
      stored.ceremony !== ceremony ||
      (options.userId !== undefined && String(stored.userId) !== String(options.userId)) ||
      !(now < stored.expiresAt)
    ) {
      throw new PasskeyRejectedException('challenge')
    }
    return stored.challenge
  }
}
