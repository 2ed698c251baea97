import type { HttpContext } from '@adonisjs/core/http'
import { noStore } from '#kit/security'

/**
 * Hands the CSRF token to API and single-page clients, which read JSON,
 * not forms: `GET /api/csrf` answers `{ token }`, to send back in the
 * `X-CSRF-TOKEN` header (or a `_csrf` body member) of each POST, PUT,
 * PATCH and DELETE. See "API and single-page clients" in docs/sessions.md.
 */
export default class CsrfController {
  /**
   * The token of the client's session: of its stored session when it has
   * one, else of the encrypted CSRF cookie this response sets (the body
   * carries the token, so the session middleware keeps its secret there).
   * Never cached: the token belongs to this client alone.
   */
  async show({ request, response }: HttpContext) {
    noStore(response)
    return { token: request.csrfToken }
  }
}
