import db from '@adonisjs/lucid/services/db'
import { SoftwareAuthenticator, type CeremonyOverrides, type Visitor } from '#kit/testing'
import type User from '#models/user'
import { createUser, MFA_PASSWORD } from '#tests/helpers/mfa'
import { apiCsrfToken } from '#tests/helpers/mfa_users'

/**
 * The accept header of each API error format.
 */
export const API_FORMATS = [
  { format: 'JSON', accept: 'application/json' },
  { format: 'JSON:API', accept: 'application/vnd.api+json' },
  { format: 'problem+json', accept: 'application/problem+json' },
]

/**
 * The origin of the in-process test server, as a browser opened it
 * (http://localhost:PORT): what the relying party is derived from in
 * tests (config/mfa.ts).
 */
export async function testOrigin() {
  const { default: env } = await import('#start/env')
  return `http://${env.get('HOST')}:${env.get('PORT')}`
}

/**
 * A software authenticator for the in-process server.
 */
export async function authenticatorForTests(keepsCounter = true) {
  const origin = await testOrigin()
  return new SoftwareAuthenticator(origin, new URL(origin).hostname, keepsCounter)
}

/**
 * POSTs JSON as an API client (the page's script does the same), with a
 * CSRF token fetched first unless one is given.
 */
export async function postJson(
  visitor: Visitor,
  path: string,
  body: Record<string, unknown> = {},
  options: { accept?: string; csrf?: string } = {}
) {
  const csrf = options.csrf ?? (await apiCsrfToken(visitor))
  return visitor.fetch(path, {
    method: 'POST',
    headers: {
      'accept': options.accept ?? 'application/json',
      'content-type': 'application/json',
      'x-csrf-token': csrf,
    },
    body: JSON.stringify(body),
  })
}

/**
 * The options of a ceremony (`POST <path>/options`), as JSON.
 */
export async function ceremonyOptions(visitor: Visitor, optionsPath: string) {
  const response = await postJson(visitor, optionsPath)
  if (response.status !== 200) {
    throw new Error(`${optionsPath}: ${response.status} ${await response.text()}`)
  }
  return (await response.json()) as any
}

/**
 * Adds a passkey through the API, as the security page's script does:
 * options, the authenticator's answer, the verification. Returns the
 * answer to the verification.
 */
export async function registerPasskey(
  visitor: Visitor,
  authenticator: SoftwareAuthenticator,
  options: { name?: string; overrides?: CeremonyOverrides; accept?: string } = {}
) {
  const creation = await ceremonyOptions(visitor, '/account/passkeys/options')
  const credential = authenticator.register(creation, options.overrides)
  const response = await postJson(
    visitor,
    '/account/passkeys',
    { response: credential, ...(options.name ? { name: options.name } : {}) },
    { accept: options.accept }
  )
  return { response, credential, creation }
}

/**
 * A new user with one passkey (added by a signed-in session), and the
 * authenticator that holds it.
 */
export async function userWithPasskey(options: { keepsCounter?: boolean } = {}) {
  const { Visitor } = await import('#kit/testing')
  const user = await createUser('passkey')
  const owner = new Visitor()
  await owner.signIn(user.email, MFA_PASSWORD)
  const authenticator = await authenticatorForTests(options.keepsCounter ?? true)
  const { response } = await registerPasskey(owner, authenticator, { name: 'Laptop' })
  if (response.status !== 201) {
    throw new Error(`registration: ${response.status} ${await response.text()}`)
  }
  return { user, authenticator, owner }
}

/**
 * The user's passkey rows, as stored.
 */
export function passkeyRowsOf(user: User) {
  return db.from('webauthn_credentials').where('user_id', user.id).orderBy('id')
}

/**
 * The error code of an error body, wherever its format keeps it.
 */
export function errorCodeOf(body: any): string | undefined {
  return body.errors?.[0]?.code ?? body.code
}
