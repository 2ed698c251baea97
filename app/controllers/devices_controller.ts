import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { SessionFamilies } from '#kit/sessions'

/**
 * How the sessions page names the sign-in methods a session recorded
 * (`recordSignIn`, `recordSignInStep`); a method not listed shows as
 * recorded.
 */
const METHOD_NAMES: Record<string, string> = {
  password: 'password',
  totp: 'authenticator app',
  recovery_code: 'recovery code',
  passkey: 'passkey',
  reset_link: 'password reset link',
}

/**
 * The signed-in user's devices: their sessions (one per sign-in, on any
 * device), each of which can be revoked.
 */
@inject()
export default class DevicesController {
  constructor(protected families: SessionFamilies) {}

  /**
   * Lists the active sessions, the current one marked, each with how it
   * signed in ("password + authenticator app").
   */
  async index({ view, auth, sessionTokens }: HttpContext) {
    const sessions = await this.families.store!.listUser(
      String(auth.use('web').user!.id),
      Date.now()
    )
    const current =
      sessionTokens?.resolved.kind === 'active' ? sessionTokens.resolved.familyId : null
    return view.render('pages/sessions', {
      sessions: sessions.map((session) => ({
        ...session,
        current: session.familyId === current,
        signedInWith: session.signInMethods
          .map((method) => METHOD_NAMES[method] ?? method)
          .join(' + '),
      })),
    })
  }

  /**
   * Revokes one session of the user.
   */
  async destroy({ params, auth, session, response }: HttpContext) {
    await this.families.store!.destroyFamily(String(auth.use('web').user!.id), String(params.id))
    session.flash('notice', 'The session was revoked.')
    return response.redirect('/sessions')
  }
}
