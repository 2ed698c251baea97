import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { SessionFamilies } from '#kit/sessions'

/**
 * The signed-in user's devices: their sessions (one per sign-in, on any
 * device), each of which can be revoked.
 */
@inject()
export default class DevicesController {
  constructor(protected families: SessionFamilies) {}

  /**
   * Lists the active sessions, the current one marked.
   */
  async index({ view, auth, sessionTokens }: HttpContext) {
    const sessions = await this.families.store!.listUser(
      String(auth.use('web').user!.id),
      Date.now()
    )
    const current =
      sessionTokens?.resolved.kind === 'active' ? sessionTokens.resolved.familyId : null
    return view.render('pages/sessions', {
      sessions: sessions.map((session) => ({ ...session, current: session.familyId === current })),
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
