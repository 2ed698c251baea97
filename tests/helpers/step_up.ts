import app from '@adonisjs/core/services/app'
import { SessionFamilies } from '#kit/sessions'
import type { Visitor } from '#kit/testing'
import { sessionTokenOfVisitor } from '#tests/helpers/mfa_users'

/**
 * The accept header of each API error format.
 */
export const API_FORMATS = [
  { format: 'JSON', accept: 'application/json' },
  { format: 'JSON:API', accept: 'application/vnd.api+json' },
  { format: 'problem+json', accept: 'application/problem+json' },
]

/**
 * The claim failures of a 403 body, wherever its format keeps them.
 */
export function claimFailuresOf(body: any): { id: string; reason: Record<string, any> }[] {
  return body.claimValidationErrors ?? body.errors?.[0]?.meta?.claimValidationErrors
}

/**
 * The session data behind a visitor's token.
 */
export async function sessionDataOf(visitor: Visitor) {
  const families = await app.container.make(SessionFamilies)
  return families.store!.peek(sessionTokenOfVisitor(visitor)!)
}

/**
 * Posts the confirm form as a browser (its CSRF token from the page).
 */
export async function confirmAsBrowser(
  visitor: Visitor,
  fields: { password?: string; code?: string },
  next?: string
) {
  const { token } = await visitor.form(`/confirm${next ? `?next=${encodeURIComponent(next)}` : ''}`)
  return visitor.post('/confirm', {
    _csrf: token,
    ...fields,
    ...(next ? { next } : {}),
  } as Record<string, string>)
}
