import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { FormThrottle, safeRedirectPath } from '#kit/security'
import { preferredErrorFormat } from '#kit/errors'
import { privilegeChanged, recordAuthProof, recordSignInStep, refreshClaim } from '#kit/sessions'
import {
  PasskeyChallenges,
  PasskeyRejectedException,
  passkeyAuthenticationOptions,
  passkeyResponseIds,
  relyingPartyFor,
} from '#kit/mfa'
import mfaConfig from '#config/mfa'
import WebauthnCredential from '#models/webauthn_credential'
import { mfa, MFA_SESSION_KEY } from '#claims/mfa_claim'
import { recentAuth } from '#claims/recent_auth_claim'

/**
 * The challenges of the ceremonies, kept in the session.
 */
const challenges = new PasskeyChallenges(mfaConfig.passkeys.challengeLifetimeMs)

/**
 * A passkey given for the session itself: as the second step of a
 * password sign-in ("Use a passkey" on the challenge page, the same
 * privilege change as a code of the authenticator app; reached without
 * the `mfa` claim), and at "Confirm it's you" (a recent proof).
 */
@inject()
export default class PasskeyChallengeController {
  constructor(protected throttle: FormThrottle) {}

  /**
   * The options of `navigator.credentials.get()` (JSON), listing the
   * user's passkeys, with a new challenge kept in the session for this
   * user and this ceremony.
   */
  async #options({ auth, request, session }: HttpContext, ceremony: 'second_factor' | 'confirm') {
    const user = auth.use('web').user!
    const passkeys = await WebauthnCredential.ofUser(user)
    const options = await passkeyAuthenticationOptions({
      rp: relyingPartyFor(mfaConfig.passkeys, request),
      allow: passkeys.map((passkey) => passkey.toStoredPasskey()),
      timeoutMs: challenges.lifetimeMs,
    })
    challenges.remember(session, ceremony, options.challenge, { userId: user.id })
    return options
  }

  /**
   * Verifies the browser's response: the challenge of the ceremony (taken
   * once), one of the user's passkeys, origin, relying party id, user
   * verification, the signature counter, and records the use (one
   * conditional UPDATE: of parallel posts of one response, one passes).
   * The check goes through the form throttle under `action`, like the
   * code forms of the same page. Refused: 400 E_PASSKEY_REJECTED, or 429
   * once locked.
   */
  async #verify(ctx: HttpContext, ceremony: 'second_factor' | 'confirm', action: string) {
    const { auth, request, session } = ctx
    const user = auth.use('web').user!
    const credential: unknown = request.input('response')

    await this.throttle.attempt(ctx, { action, account: user.email }, async () => {
      const expectedChallenge = challenges.take(session, ceremony, { userId: user.id })
      const ids = passkeyResponseIds(credential)
      const passkey = ids
        ? await WebauthnCredential.findByCredentialId(ids.credentialId, user)
        : null
      if (!passkey) {
        throw new PasskeyRejectedException('unknown_credential')
      }
      await passkey.verifyUse({
        rp: relyingPartyFor(mfaConfig.passkeys, request),
        response: credential,
        challenge: expectedChallenge,
        logger: ctx.logger,
      })
    })
    return user
  }

  /**
   * The options of the challenge page's "Use a passkey".
   */
  async options(ctx: HttpContext) {
    return this.#options(ctx, 'second_factor')
  }

  /**
   * A passkey at the challenge page (throttled with its code form, action
   * `mfa_challenge`). It joins the session's sign-in methods (`passkey`)
   * and counts as a recent proof (`recent-auth`). Passing it is a
   * privilege change: the session token rotates and the CSRF secret is
   * renewed. API clients (the page's script among them) get
   * `{ mfa: 'passkey', redirect }`; browsers posting a form go to `next`.
   */
  async store(ctx: HttpContext) {
    const { request, response, session } = ctx
    const next = safeRedirectPath(request.input('next'), '')
    const user = await this.#verify(ctx, 'second_factor', 'mfa_challenge')

    session.put(MFA_SESSION_KEY, { at: Date.now(), method: 'passkey' })
    recordSignInStep(session, 'passkey')
    await refreshClaim(session, user, mfa)
    await refreshClaim(session, user, recentAuth)
    privilegeChanged(ctx)
    ctx.logger.info(
      { event: 'mfa.challenge_passed', userId: user.id, method: 'passkey' },
      'second factor given'
    )
    if (preferredErrorFormat(ctx) !== 'html') {
      return { mfa: 'passkey', redirect: next || '/' }
    }
    return response.redirect().toPath(next || '/')
  }

  /**
   * The options of "Confirm it's you" with a passkey.
   */
  async confirmOptions(ctx: HttpContext) {
    return this.#options(ctx, 'confirm')
  }

  /**
   * A passkey at "Confirm it's you" (throttled with the page's other
   * forms, action `confirm`): a recent proof (`recent-auth`) and a
   * privilege change, like the password there. API clients get
   * `{ confirmed: 'passkey', redirect }`; browsers go to `next`.
   */
  async confirm(ctx: HttpContext) {
    const { request, response, session } = ctx
    const next = safeRedirectPath(request.input('next'), '')
    const user = await this.#verify(ctx, 'confirm', 'confirm')

    recordAuthProof(session, 'passkey')
    await refreshClaim(session, user, recentAuth)
    privilegeChanged(ctx)
    ctx.logger.info(
      { event: 'auth.confirmed', userId: user.id, method: 'passkey' },
      'session confirmed'
    )
    if (preferredErrorFormat(ctx) !== 'html') {
      return { confirmed: 'passkey', redirect: next || '/account/security' }
    }
    return response.redirect().toPath(next || '/account/security')
  }
}
