/*
|--------------------------------------------------------------------------
| Routes file
|--------------------------------------------------------------------------
|
| The routes file is used for defining the HTTP routes. Controllers come
| from the barrel file ".adonisjs/server/controllers.ts", which the dev
| server, the test runner and "node ace build" keep in sync with
| "app/controllers/" (a new controller appears there by itself; run
| "node ace codegen" to refresh it by hand). Each is imported lazily, on
| its route's first request.
|
*/

import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { controllers } from '#generated/controllers'
import { role } from '#claims/role_claim'
import { emailVerified } from '#claims/email_verified_claim'
import { mfa } from '#claims/mfa_claim'
import { recentAuth } from '#claims/recent_auth_claim'
import type { ClaimValidator } from '#kit/sessions'

/**
 * The claims of the account changes: the global ones, and a proof of who
 * is using the session within the recent-auth window (docs/mfa.md,
 * "Step-up"). Browsers without one go to the confirm page and back.
 */
const stepUp = (global: ClaimValidator[]) => [...global, recentAuth.recent()]

router.get('/', [controllers.Home, 'show']).as('home')

/**
 * Signing in and out.
 */
router
  .group(() => {
    router.get('/login', [controllers.SignIn, 'create']).as('session.create')
    router.post('/login', [controllers.SignIn, 'store']).as('session.store')
    router
      .post('/login/passkey/options', [controllers.PasskeySignIn, 'options'])
      .as('passkey_sign_in.options')
    router.post('/login/passkey', [controllers.PasskeySignIn, 'store']).as('passkey_sign_in.store')
  })
  .use(middleware.guest())

router.post('/logout', [controllers.SignIn, 'destroy']).as('session.destroy')

/**
 * Accounts: sign-up, email verification, password reset (docs/accounts.md).
 */
router
  .group(() => {
    router.get('/signup', [controllers.SignUp, 'create']).as('signup.create')
    router.post('/signup', [controllers.SignUp, 'store']).as('signup.store')
  })
  .use(middleware.guest())

router
  .group(() => {
    router
      .get('/verify-email', [controllers.EmailVerification, 'show'])
      .as('email_verification.show')
    router
      .post('/verify-email/resend', [controllers.EmailVerification, 'resend'])
      .as('email_verification.resend')
  })
  .use(middleware.auth())
router
  .get('/verify-email/:id', [controllers.EmailVerification, 'verify'])
  .as('email_verification.verify')
  .where('id', router.matchers.number())

router.get('/forgot-password', [controllers.PasswordReset, 'create']).as('password_reset.create')
router.post('/forgot-password', [controllers.PasswordReset, 'store']).as('password_reset.store')
router.get('/reset-password/:token', [controllers.PasswordReset, 'edit']).as('password_reset.edit')
router
  .post('/reset-password/:token', [controllers.PasswordReset, 'update'])
  .as('password_reset.update')
router
  .post('/logout/all', [controllers.SignIn, 'destroyAll'])
  .as('session.destroy_all')
  .use(middleware.auth({ claims: stepUp }))

/**
 * Pages behind sign-in, each with its own requirements.
 */
router.get('/dashboard', [controllers.Account, 'dashboard']).as('dashboard').use(middleware.auth())
router
  .get('/admin', [controllers.Account, 'admin'])
  .as('admin')
  .use(
    middleware.auth({
      /**
       * The second factor always, even if `globalClaims` no longer lists
       * it (for users who set one up).
       */
      claims: (global) => [...mfa.without(global), mfa.completed(), role.includes('admin')],
    })
  )
router
  .get('/billing', [controllers.Account, 'billing'])
  .as('billing')
  .use(middleware.auth({ claims: (global) => [...global, emailVerified.isTrue()] }))

router
  .group(() => {
    router.get('/sessions', [controllers.Devices, 'index']).as('sessions.index')
    router.post('/sessions/:id/revoke', [controllers.Devices, 'destroy']).as('sessions.destroy')
  })
  .use(middleware.auth())

/**
 * The account's security page (docs/mfa.md, docs/accounts.md), and what it
 * changes, each behind a recent proof (`stepUp`): the password, the email
 * address, the authenticator app, new recovery codes, passkeys. "Confirm
 * it's you" gives the proof.
 */
router
  .group(() => {
    router.get('/account/security', [controllers.Security, 'show']).as('security.show')
    router.get('/confirm', [controllers.Confirm, 'create']).as('confirm.create')
    router.post('/confirm', [controllers.Confirm, 'store']).as('confirm.store')
    router
      .post('/confirm/passkey/options', [controllers.PasskeyChallenge, 'confirmOptions'])
      .as('passkey_confirm.options')
    router
      .post('/confirm/passkey', [controllers.PasskeyChallenge, 'confirm'])
      .as('passkey_confirm.store')
  })
  .use(middleware.auth())
router
  .group(() => {
    router
      .post('/account/password', [controllers.AccountSettings, 'updatePassword'])
      .as('account.password.update')
    router
      .post('/account/email', [controllers.AccountSettings, 'updateEmail'])
      .as('account.email.update')
    router.get('/account/security/totp', [controllers.Totp, 'create']).as('totp.create')
    router.post('/account/security/totp', [controllers.Totp, 'store']).as('totp.store')
    router.post('/account/security/totp/delete', [controllers.Totp, 'destroy']).as('totp.destroy')
    router
      .post('/account/security/recovery-codes', [controllers.RecoveryCodes, 'store'])
      .as('recovery_codes.store')
    router
      .post('/account/passkeys/options', [controllers.Passkeys, 'options'])
      .as('passkeys.options')
    router.post('/account/passkeys', [controllers.Passkeys, 'store']).as('passkeys.store')
    router
      .post('/account/passkeys/:id/rename', [controllers.Passkeys, 'update'])
      .as('passkeys.update')
      .where('id', router.matchers.number())
    router
      .post('/account/passkeys/:id/remove', [controllers.Passkeys, 'destroy'])
      .as('passkeys.destroy')
      .where('id', router.matchers.number())
  })
  .use(middleware.auth({ claims: stepUp }))

/**
 * The second step of a sign-in with a second factor: reachable without
 * the `mfa` claim, which every other auth() route requires of users with
 * a factor (globalClaims in config/session_security.ts).
 */
router
  .group(() => {
    router.get('/mfa/challenge', [controllers.MfaChallenge, 'create']).as('mfa_challenge.create')
    router.post('/mfa/challenge', [controllers.MfaChallenge, 'store']).as('mfa_challenge.store')
    router
      .post('/mfa/challenge/passkey/options', [controllers.PasskeyChallenge, 'options'])
      .as('passkey_challenge.options')
    router
      .post('/mfa/challenge/passkey', [controllers.PasskeyChallenge, 'store'])
      .as('passkey_challenge.store')
  })
  .use(middleware.auth({ claims: (global) => mfa.without(global) }))

/**
 * JSON API (answered in JSON by default: see force_json_response_middleware).
 */
router
  .group(() => {
    router.get('/me', [controllers.Account, 'me']).as('api.me').use(middleware.auth())
    router.get('/csrf', [controllers.Csrf, 'show']).as('api.csrf')
  })
  .prefix('/api')

/*
|--------------------------------------------------------------------------
| Health checks, for load balancers (app/controllers/health_controller.ts)
|--------------------------------------------------------------------------
*/
router.get('/health', [controllers.Health, 'live']).as('health.live')
router.get('/health/ready', [controllers.Health, 'ready']).as('health.ready')

/*
|--------------------------------------------------------------------------
| Development only: the mails written to tmp/mails/ (404 in production)
|--------------------------------------------------------------------------
*/
if (!app.inProduction) {
  router.get('/dev/mails', [controllers.DevMails, 'index']).as('dev_mails.index')
  router.get('/dev/mails/:file', [controllers.DevMails, 'show']).as('dev_mails.show')
}
