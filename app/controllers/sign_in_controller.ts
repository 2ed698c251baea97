import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { errors as authErrors } from '@adonisjs/auth'
import { errors as vineErrors } from '@vinejs/vine'
import User from '#models/user'
import { loginValidator } from '#validators/session'
import { safeRedirectPath, FormThrottle } from '#kit/security'
import {
  loginFormPath,
  CLAIMS_SESSION_KEY,
  refreshClaim,
  UNAUTHORIZED_MESSAGES,
  TokenTheftDetectedException,
  SessionFamilies,
  PLAIN_HTTP_MESSAGE,
  recordSignIn,
} from '#kit/sessions'
import { preferredErrorFormat } from '#kit/errors'
import { mfa, MFA_SESSION_KEY } from '#claims/mfa_claim'
import { recentAuth } from '#claims/recent_auth_claim'

/**
 * Why a sign-in fails: an invalid form, or a wrong email or password.
 */
type SignInError =
  | InstanceType<typeof vineErrors.E_VALIDATION_ERROR>
  | InstanceType<typeof authErrors.E_INVALID_CREDENTIALS>

/**
 * Signs users in and out (the login form, sign-out, sign-out everywhere).
 */
@inject()
export default class SignInController {
  constructor(
    protected families: SessionFamilies,
    protected throttle: FormThrottle
  ) {}

  /**
   * The login form. `next` (a same-site path) is where to go after it;
   * with one, the page says why the visitor landed here. `reason=theft`
   * says the session was ended to protect the account (its cookie was
   * cleared, so no flashed notice could say it); `reason=plain_http` that
   * a form failed because the site was opened over plain HTTP.
   */
  async create({ view, request }: HttpContext) {
    const next = safeRedirectPath(request.input('next'), '')
    const reason = request.input('reason')
    const notice =
      reason === 'theft'
        ? TokenTheftDetectedException.message
        : reason === 'plain_http'
          ? PLAIN_HTTP_MESSAGE
          : next
            ? UNAUTHORIZED_MESSAGES.missing
            : undefined
    return view.render('pages/login', { next, notice })
  }

  /**
   * Checks the credentials and signs the user in (with a new session
   * token), then goes to `next`; API clients (JSON, JSON:API or
   * problem+json in Accept) get `200 { user }` instead of the redirect.
   * Browsers whose form is invalid or whose email or password is wrong go
   * back to the form; API clients get the error (E_VALIDATION_ERROR,
   * E_INVALID_CREDENTIALS). The CSRF secret is renewed as the request
   * ends: an API client fetches a new token (`GET /api/csrf`) before its
   * next POST. The check goes
   * through the form throttle: too many failures for the account from
   * this address, or from this address, answer E_TOO_MANY_REQUESTS (429)
   * until the lockout ends, whatever the password.
   */
  async store(ctx: HttpContext) {
    const { request, auth, response, session } = ctx

    let user: User
    try {
      const { email, password } = await request.validateUsing(loginValidator)
      user = await this.throttle.attempt(ctx, { action: 'sign_in', account: email }, () =>
        User.verifyCredentials(email, password)
      )
    } catch (error) {
      if (isSignInError(error) && preferredErrorFormat(ctx) === 'html') {
        return this.#backToForm(ctx, error)
      }
      throw error
    }

    session.forget(CLAIMS_SESSION_KEY)
    session.forget(MFA_SESSION_KEY)
    await auth.use('web').login(user)
    recordSignIn(session, 'password')
    /**
     * The `mfa` and `recent-auth` claims are known from the sign-in on (a
     * user with a second factor has not given it yet; the password is a
     * proof), so that the first page does not write the session again.
     */
    await refreshClaim(session, user, mfa)
    await refreshClaim(session, user, recentAuth)
    if (preferredErrorFormat(ctx) !== 'html') {
      return { user: user.profile() }
    }
    return response.redirect(safeRedirectPath(request.input('next')))
  }

  /**
   * Sends a failed sign-in back to the login form, whatever the Referer
   * says, with its `next`. The field errors, or the message of a wrong
   * email or password, are flashed with the typed email (never the
   * password), as the packages' own handlers flash them.
   */
  #backToForm(ctx: HttpContext, error: SignInError) {
    const { request, response, session } = ctx
    if (error instanceof vineErrors.E_VALIDATION_ERROR) {
      session.flashValidationErrors(error)
    } else {
      const message = error.getResponseMessage(error, ctx)
      session.flashExcept(['_csrf', '_method', 'password', 'password_confirmation'])
      session.flash('error', message)
      session.flashErrors({ E_INVALID_CREDENTIALS: message })
    }
    return response.redirect().toPath(loginFormPath(safeRedirectPath(request.input('next'), '')))
  }

  /**
   * Signs the user out: the server-side session is destroyed (not only the
   * sign-in), and the browser gets a new, empty one, then the login page
   * with a notice. API clients get `204 No Content` (and no notice, which
   * nothing would show).
   */
  async destroy(ctx: HttpContext) {
    await ctx.auth.use('web').logout()
    return this.#signedOut(ctx, 'You have been signed out.')
  }

  /**
   * Signs the user out on every device (answered as `destroy`).
   */
  async destroyAll(ctx: HttpContext) {
    const user = ctx.auth.use('web').user!
    await this.families.store?.destroyUser(String(user.id))
    await ctx.auth.use('web').logout()
    return this.#signedOut(ctx, 'You have been signed out on every device.')
  }

  /**
   * Gives the signed-out client a new, empty session: a browser goes to
   * the login page, which shows `notice`; an API client gets a 204.
   */
  #signedOut(ctx: HttpContext, notice: string) {
    const { session, response } = ctx
    session.clear()
    session.regenerate()
    if (preferredErrorFormat(ctx) !== 'html') {
      return response.noContent()
    }
    session.flash('notice', notice)
    return response.redirect('/login')
  }
}

/**
 * True for the errors of a failed sign-in.
 */
function isSignInError(error: unknown): error is SignInError {
  return (
    error instanceof vineErrors.E_VALIDATION_ERROR ||
    error instanceof authErrors.E_INVALID_CREDENTIALS
  )
}
