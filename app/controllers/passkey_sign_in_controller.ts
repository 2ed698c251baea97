import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { FormThrottle, safeRedirectPath } from '#kit/security'
import { preferredErrorFormat } from '#kit/errors'
import { CLAIMS_SESSION_KEY, recordSignIn, refreshClaim } from '#kit/sessions'
import {
  PasskeyChallenges,
  PasskeyRejectedException,
  passkeyAuthenticationOptions,
  passkeyResponseIds,
  relyingPartyFor,
} from '#kit/mfa'
import mfaConfig from '#config/mfa'
import User from '#models/user'
import WebauthnCredential from '#models/webauthn_credential'
import { mfa, MFA_SESSION_KEY } from '#claims/mfa_claim'
import { recentAuth } from '#claims/recent_auth_claim'

/**
 * The challenges of the ceremonies, kept in the session.
 */
const challenges = new PasskeyChallenges(mfaConfig.passkeys.challengeLifetimeMs)

/**
 * Signing in with a passkey alone ("Sign in with a passkey" on the login
 * page): no email, no password. The browser offers the discoverable
 * passkeys it holds for the site; the one chosen names its user. A full
 * sign-in that also gives the second factor: a passkey is something the
 * user has, unlocked by user verification (a PIN or biometrics).
 */
@inject()
export default class PasskeySignInController {
  constructor(protected throttle: FormThrottle) {}

  /**
   * The options of `navigator.credentials.get()` (JSON), with no list of
   * passkeys (any discoverable one of the site), and a new challenge kept
   * in the visitor's session.
   */
  async options({ request, session }: HttpContext) {
    const options = await passkeyAuthenticationOptions({
      rp: relyingPartyFor(mfaConfig.passkeys, request),
      timeoutMs: challenges.lifetimeMs,
    })
    challenges.remember(session, 'sign_in', options.challenge)
    return options
  }

  /**
   * Verifies the browser's response (the challenge, taken once; the
   * passkey its id names, whose user handle must match; origin, relying
   * party id, user verification, the signature counter), records the use
   * (of parallel posts of one response, one passes), then signs the user
   * in as the password does: claims forgotten, a new session id and
   * token, a new CSRF secret, the sign-in method recorded (`passkey`, a
   * recent proof too), and the `mfa` claim satisfied. Throttled
   * per address (action `passkey_sign_in`). API clients (the page's
   * script among them) get `{ user, redirect }`; browsers posting a form
   * go to `next`. A refused response: 400 E_PASSKEY_REJECTED, or 429 once
   * locked.
   */
  async store(ctx: HttpContext) {
    const { auth, request, response, session } = ctx
    const credential: unknown = request.input('response')

    const user = await this.throttle.attempt(ctx, { action: 'passkey_sign_in' }, async () => {
      const expectedChallenge = challenges.take(session, 'sign_in')
      const ids = passkeyResponseIds(credential)
      const passkey = ids ? await WebauthnCredential.findByCredentialId(ids.credentialId) : null
      if (
        !passkey ||
        (ids?.userHandle !== undefined && ids.userHandle !== String(passkey.userId))
      ) {
        throw new PasskeyRejectedException('unknown_credential')
      }
      await passkey.verifyUse({
        rp: relyingPartyFor(mfaConfig.passkeys, request),
        response: credential,
        challenge: expectedChallenge,
        logger: ctx.logger,
      })
      return User.findOrFail(passkey.userId)
    })

    session.forget(CLAIMS_SESSION_KEY)
    session.forget(MFA_SESSION_KEY)
    await auth.use('web').login(user)
    recordSignIn(session, 'passkey')
    session.put(MFA_SESSION_KEY, { at: Date.now(), method: 'passkey' })
    await refreshClaim(session, user, mfa)
    await refreshClaim(session, user, recentAuth)
    ctx.logger.info(
      { event: 'session.passkey_sign_in', userId: user.id },
      'signed in with a passkey'
    )

    const next = safeRedirectPath(request.input('next'))
    if (preferredErrorFormat(ctx) !== 'html') {
      return { user: user.profile(), redirect: next }
    }
    return response.redirect().toPath(next)
  }
}
