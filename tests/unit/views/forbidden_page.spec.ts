import { test } from '@japa/runner'
import edge from 'edge.js'
import { statusPageData } from '#kit/errors/src/status_page'
import type { ErrorDescription } from '#kit/errors/src/error_description'

/**
 * The 403 page for an error with this message, and the unmet requirements
 * when given (as InvalidClaimException sends them).
 */
function renderForbidden(message: string, requirements?: string[]) {
  const error: ErrorDescription = {
    status: 403,
    code: 'E_FORBIDDEN',
    title: 'Forbidden',
    message,
    path: '/admin',
    errors: [],
  }
  return edge.render('errors/forbidden', { page: statusPageData(error, { requirements }) })
}

/**
 * The text of the page's <main>, one line per paragraph or list item.
 */
function mainText(html: string): string[] {
  const main = html.slice(html.indexOf('<main>'), html.indexOf('</main>'))
  return [...main.matchAll(/<(?:p|li|h1)[^>]*>([\s\S]*?)<\/(?:p|li|h1)>/g)]
    .map((match) =>
      match[1]
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim()
    )
    .filter(Boolean)
}

test.group('Views | 403 page', () => {
  test('unmet requirements: listed once, without the claim error repeating them', async ({
    assert,
  }) => {
    const html = await renderForbidden('You do not meet the requirements of this page.', [
      'the "admin" role',
    ])

    assert.deepEqual(mainText(html), [
      'Error 403',
      'Access denied',
      'You are signed in, but this page needs:',
      'the &quot;admin&quot; role',
      'Go to the home page',
    ])
  })

  test("the error's own message, once", async ({ assert }) => {
    const html = await renderForbidden('Only the owner of this project can change it.')

    assert.deepEqual(mainText(html), [
      'Error 403',
      'Access denied',
      'Only the owner of this project can change it.',
      'Go to the home page',
    ])
  })

  test('no message: one plain sentence', async ({ assert }) => {
    const html = await renderForbidden('Forbidden')

    assert.deepEqual(mainText(html), [
      'Error 403',
      'Access denied',
      'You are not allowed to see this page.',
      'Go to the home page',
    ])
  })
})
