import type { HttpContext } from '@adonisjs/core/http'
import { preferredErrorFormat } from '#kit/errors'
import { refreshClaim } from '#kit/sessions'
import {
  PasskeyChallenges,
  passkeyRegistrationOptions,
  relyingPartyFor,
  verifyPasskeyRegistration,
} from '#kit/mfa'
import mfaConfig from '#config/mfa'
import WebauthnCredential from '#models/webauthn_credential'
import { newPasskeyValidator, passkeyNameValidator } from '#validators/passkey'
import { mfa, MFA_SESSION_KEY } from '#claims/mfa_claim'

/**
 * The challenges of the ceremonies, kept in the session.
 */
const challenges = new PasskeyChallenges(mfaConfig.passkeys.challengeLifetimeMs)

/**
 * What the security page and API clients see of a passkey.
 */
function describe(passkey: WebauthnCredential) {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: passkey.createdAt.toISO(),
    lastUsedAt: passkey.lastUsedAt?.toISO() ?? null,
    backedUp: passkey.backedUp,
  }
}

/**
 * The user's passkeys (docs/mfa.md): adding one (options, then the
 * browser's response), renaming and removing them. Listed on the
 * security page. The routes are on `middleware.auth()`: they will
 * require a recent sign-in once the `recent-auth` claim exists.
 */
export default class PasskeysController {
  /**
   * The options of `navigator.credentials.create()` (JSON), with a new
   * challenge kept in the session for this user. The user's passkeys are
   * excluded, so an authenticator does not make a second one.
   */
  async options({ auth, request, session }: HttpContext) {
    const user = auth.use('web').user!
    const existing = await WebauthnCredential.ofUser(user)
    const options = await passkeyRegistrationOptions({
      rp: relyingPartyFor(mfaConfig.passkeys, request),
      user: { handle: String(user.id), name: user.email, displayName: user.fullName ?? user.email },
      existing: existing.map((passkey) => passkey.toStoredPasskey()),
      timeoutMs: challenges.lifetimeMs,
    })
    challenges.remember(session, 'registration', options.challenge, { userId: user.id })
    return options
  }

  /**
   * Verifies the browser's response against the challenge (taken once),
   * the origin and relying party id, with user verification, and stores
   * the passkey. It is a second factor the session just gave: the `mfa`
   * claim is satisfied (as when an authenticator app is set up). API
   * clients get `201 { passkey }`; browsers go to the security page. A
   * response that does not verify: 400 E_PASSKEY_REJECTED.
   */
  async store(ctx: HttpContext) {
    const { auth, request, response, session } = ctx
    const user = auth.use('web').user!
    const { name, response: credential } = await request.validateUsing(newPasskeyValidator)
    const expectedChallenge = challenges.take(session, 'registration', { userId: user.id })
    const verified = await verifyPasskeyRegistration({
      rp: relyingPartyFor(mfaConfig.passkeys, request),
      response: credential,
      expectedChallenge,
    })
    const existing = await WebauthnCredential.ofUser(user)
    const passkey = await WebauthnCredential.register(
      user,
      verified,
      name ?? `Passkey ${existing.length + 1}`
    )

    session.put(MFA_SESSION_KEY, { at: Date.now(), method: 'passkey' })
    await refreshClaim(session, user, mfa)
    ctx.logger.info(
      { event: 'mfa.passkey_added', userId: user.id, passkeyId: passkey.id },
      'passkey added'
    )
    /**
     * Flashed for API clients too: the security page's script reloads the
     * page, which shows it.
     */
    session.flash('notice', `The passkey "${passkey.name}" was added.`)
    if (preferredErrorFormat(ctx) !== 'html') {
      return response.created({ passkey: describe(passkey) })
    }
    return response.redirect().toPath('/account/security')
  }

  /**
   * Renames one of the user's passkeys (404 for any other id).
   */
  async update(ctx: HttpContext) {
    const { auth, params, request, response, session } = ctx
    const user = auth.use('web').user!
    const passkey = await WebauthnCredential.query()
      .where('id', Number(params.id))
      .where('user_id', user.id)
      .firstOrFail()
    const { name } = await request.validateUsing(passkeyNameValidator)
    passkey.name = name
    await passkey.save()
    if (preferredErrorFormat(ctx) !== 'html') {
      return { passkey: describe(passkey) }
    }
    session.flash('notice', `The passkey was renamed "${passkey.name}".`)
    return response.redirect().toPath('/account/security')
  }

  /**
   * Removes one of the user's passkeys (404 for any other id): it no
   * longer signs in, nor counts as a second factor (the `mfa` claim is
   * fetched again).
   */
  async destroy(ctx: HttpContext) {
    const { auth, params, response, session } = ctx
    const user = auth.use('web').user!
    const passkey = await WebauthnCredential.query()
      .where('id', Number(params.id))
      .where('user_id', user.id)
      .firstOrFail()
    await passkey.delete()
    await refreshClaim(session, user, mfa)
    ctx.logger.info(
      { event: 'mfa.passkey_removed', userId: user.id, passkeyId: passkey.id },
      'passkey removed'
    )
    if (preferredErrorFormat(ctx) !== 'html') {
      return response.noContent()
    }
    session.flash('notice', `The passkey "${passkey.name}" was removed.`)
    return response.redirect().toPath('/account/security')
  }
}
