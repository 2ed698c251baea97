import '@adonisjs/core/types/http'

type ParamValue = string | number | bigint | boolean

export type ScannedRoutes = {
  ALL: {
    'home': { paramsTuple?: []; params?: {} }
    'session.create': { paramsTuple?: []; params?: {} }
    'session.store': { paramsTuple?: []; params?: {} }
    'passkey_sign_in.options': { paramsTuple?: []; params?: {} }
    'passkey_sign_in.store': { paramsTuple?: []; params?: {} }
    'session.destroy': { paramsTuple?: []; params?: {} }
    'signup.create': { paramsTuple?: []; params?: {} }
    'signup.store': { paramsTuple?: []; params?: {} }
    'email_verification.show': { paramsTuple?: []; params?: {} }
    'email_verification.resend': { paramsTuple?: []; params?: {} }
    'email_verification.verify': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'password_reset.create': { paramsTuple?: []; params?: {} }
    'password_reset.store': { paramsTuple?: []; params?: {} }
    'password_reset.edit': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'password_reset.update': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'session.destroy_all': { paramsTuple?: []; params?: {} }
    'dashboard': { paramsTuple?: []; params?: {} }
    'admin': { paramsTuple?: []; params?: {} }
    'billing': { paramsTuple?: []; params?: {} }
    'sessions.index': { paramsTuple?: []; params?: {} }
    'sessions.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'security.show': { paramsTuple?: []; params?: {} }
    'confirm.create': { paramsTuple?: []; params?: {} }
    'confirm.store': { paramsTuple?: []; params?: {} }
    'passkey_confirm.options': { paramsTuple?: []; params?: {} }
    'passkey_confirm.store': { paramsTuple?: []; params?: {} }
    'account.password.update': { paramsTuple?: []; params?: {} }
    'account.email.update': { paramsTuple?: []; params?: {} }
    'totp.create': { paramsTuple?: []; params?: {} }
    'totp.store': { paramsTuple?: []; params?: {} }
    'totp.destroy': { paramsTuple?: []; params?: {} }
    'recovery_codes.store': { paramsTuple?: []; params?: {} }
    'passkeys.options': { paramsTuple?: []; params?: {} }
    'passkeys.store': { paramsTuple?: []; params?: {} }
    'passkeys.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'passkeys.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'mfa_challenge.create': { paramsTuple?: []; params?: {} }
    'mfa_challenge.store': { paramsTuple?: []; params?: {} }
    'passkey_challenge.options': { paramsTuple?: []; params?: {} }
    'passkey_challenge.store': { paramsTuple?: []; params?: {} }
    'api.me': { paramsTuple?: []; params?: {} }
    'api.csrf': { paramsTuple?: []; params?: {} }
    'health.live': { paramsTuple?: []; params?: {} }
    'health.ready': { paramsTuple?: []; params?: {} }
    'dev_mails.index': { paramsTuple?: []; params?: {} }
    'dev_mails.show': { paramsTuple: [ParamValue]; params: {'file': ParamValue} }
  }
  GET: {
    'home': { paramsTuple?: []; params?: {} }
    'session.create': { paramsTuple?: []; params?: {} }
    'signup.create': { paramsTuple?: []; params?: {} }
    'email_verification.show': { paramsTuple?: []; params?: {} }
    'email_verification.verify': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'password_reset.create': { paramsTuple?: []; params?: {} }
    'password_reset.edit': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'dashboard': { paramsTuple?: []; params?: {} }
    'admin': { paramsTuple?: []; params?: {} }
    'billing': { paramsTuple?: []; params?: {} }
    'sessions.index': { paramsTuple?: []; params?: {} }
    'security.show': { paramsTuple?: []; params?: {} }
    'confirm.create': { paramsTuple?: []; params?: {} }
    'totp.create': { paramsTuple?: []; params?: {} }
    'mfa_challenge.create': { paramsTuple?: []; params?: {} }
    'api.me': { paramsTuple?: []; params?: {} }
    'api.csrf': { paramsTuple?: []; params?: {} }
    'health.live': { paramsTuple?: []; params?: {} }
    'health.ready': { paramsTuple?: []; params?: {} }
    'dev_mails.index': { paramsTuple?: []; params?: {} }
    'dev_mails.show': { paramsTuple: [ParamValue]; params: {'file': ParamValue} }
  }
  HEAD: {
    'home': { paramsTuple?: []; params?: {} }
    'session.create': { paramsTuple?: []; params?: {} }
    'signup.create': { paramsTuple?: []; params?: {} }
    'email_verification.show': { paramsTuple?: []; params?: {} }
    'email_verification.verify': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'password_reset.create': { paramsTuple?: []; params?: {} }
    'password_reset.edit': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'dashboard': { paramsTuple?: []; params?: {} }
    'admin': { paramsTuple?: []; params?: {} }
    'billing': { paramsTuple?: []; params?: {} }
    'sessions.index': { paramsTuple?: []; params?: {} }
    'security.show': { paramsTuple?: []; params?: {} }
    'confirm.create': { paramsTuple?: []; params?: {} }
    'totp.create': { paramsTuple?: []; params?: {} }
    'mfa_challenge.create': { paramsTuple?: []; params?: {} }
    'api.me': { paramsTuple?: []; params?: {} }
    'api.csrf': { paramsTuple?: []; params?: {} }
    'health.live': { paramsTuple?: []; params?: {} }
    'health.ready': { paramsTuple?: []; params?: {} }
    'dev_mails.index': { paramsTuple?: []; params?: {} }
    'dev_mails.show': { paramsTuple: [ParamValue]; params: {'file': ParamValue} }
  }
  POST: {
    'session.store': { paramsTuple?: []; params?: {} }
    'passkey_sign_in.options': { paramsTuple?: []; params?: {} }
    'passkey_sign_in.store': { paramsTuple?: []; params?: {} }
    'session.destroy': { paramsTuple?: []; params?: {} }
    'signup.store': { paramsTuple?: []; params?: {} }
    'email_verification.resend': { paramsTuple?: []; params?: {} }
    'password_reset.store': { paramsTuple?: []; params?: {} }
    'password_reset.update': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'session.destroy_all': { paramsTuple?: []; params?: {} }
    'sessions.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'confirm.store': { paramsTuple?: []; params?: {} }
    'passkey_confirm.options': { paramsTuple?: []; params?: {} }
    'passkey_confirm.store': { paramsTuple?: []; params?: {} }
    'account.password.update': { paramsTuple?: []; params?: {} }
    'account.email.update': { paramsTuple?: []; params?: {} }
    'totp.store': { paramsTuple?: []; params?: {} }
    'totp.destroy': { paramsTuple?: []; params?: {} }
    'recovery_codes.store': { paramsTuple?: []; params?: {} }
    'passkeys.options': { paramsTuple?: []; params?: {} }
    'passkeys.store': { paramsTuple?: []; params?: {} }
    'passkeys.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'passkeys.destroy': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'mfa_challenge.store': { paramsTuple?: []; params?: {} }
    'passkey_challenge.options': { paramsTuple?: []; params?: {} }
    'passkey_challenge.store': { paramsTuple?: []; params?: {} }
  }
}
declare module '@adonisjs/core/types/http' {
  export interface RoutesList extends ScannedRoutes {}
}