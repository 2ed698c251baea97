import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '#kit/mfa/define_config'

/**
 * Second factors (docs/mfa.md). The authenticator app needs no settings;
 * passkeys (WebAuthn) are bound to the site they were made on.
 */
const mfaConfig = defineConfig({
  passkeys: {
    /**
     * The name browsers show when a passkey is made.
     */
    rpName: 'Starter kit',

    /**
     * The origin browsers reach the app at: every passkey response must
     * come from it. WEBAUTHN_ORIGIN, else APP_URL. In development and tests,
     * unset, the origin the request was sent to (http://localhost:3333);
     * in production, unset, http://HOST:PORT as for mail links: set
     * APP_URL there.
     */
    origin:
      env.get('WEBAUTHN_ORIGIN') ??
      env.get('APP_URL') ??
      (app.inProduction ? `http://${env.get('HOST')}:${env.get('PORT')}` : undefined),

    /**
     * The relying party id passkeys are bound to: the origin's host name
     * unless WEBAUTHN_RP_ID names a parent domain of it (a passkey of
     * "example.com" also works on "app.example.com"). Changing it makes
     * every passkey made before unusable.
     */
    rpId: env.get('WEBAUTHN_RP_ID'),

    originFromRequest: !app.inProduction,

    /**
     * How long the browser's passkey prompt may take, and its challenge
     * stay usable.
     */
    challengeLifetime: '5m',
  },
})

export default mfaConfig
