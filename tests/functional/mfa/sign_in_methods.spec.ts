import { test, timeTravel } from '@japa/runner'
import { Visitor } from '#kit/testing'
import { totpCode } from '#kit/mfa'
import { MFA_PASSWORD } from '#tests/helpers/mfa'
import { apiCsrfToken, userWithTotp } from '#tests/helpers/mfa_users'
import { claimFailuresOf, confirmAsBrowser, sessionDataOf } from '#tests/helpers/step_up'

const HTML = { accept: 'text/html' }
const JSON_ACCEPT = { accept: 'application/json' }

/**
 * The "signed in with" cells of the sessions page, in its order (the
 * most recently used first).
 */
function methodsOf(html: string): string[] {
  return [...html.matchAll(/<td class="sign-in-methods">([^<]*)<\/td>/g)].map((match) =>
    match[1].trim()
  )
}

/**
 * Posts the challenge form as a browser.
 */
async function passChallenge(visitor: Visitor, code: string) {
  const { token } = await visitor.form('/mfa/challenge')
  const response = await visitor.post('/mfa/challenge', { _csrf: token, code })
  return response.status
}

test.group('Sessions | how each session signed in', () => {
  test('the sessions page says it: password, password + authenticator app, password + recovery code', async ({
    assert,
  }) => {
    const { user, secret, codes } = await userWithTotp({ codes: true })

    const byCode = new Visitor()
    await byCode.signIn(user.email, MFA_PASSWORD)
    assert.equal(await passChallenge(byCode, codes[0]), 302)

    const partial = new Visitor()
    await partial.signIn(user.email, MFA_PASSWORD)

    const byApp = new Visitor()
    await byApp.signIn(user.email, MFA_PASSWORD)
    assert.equal(await passChallenge(byApp, totpCode(secret, Date.now())), 302)
    assert.deepEqual((await sessionDataOf(byApp))!.signInMethods, ['password', 'totp'])

    const page = await byApp.fetch('/sessions', { headers: HTML })
    assert.equal(page.status, 200)
    const html = await page.text()
    assert.deepEqual(methodsOf(html).sort(), [
      'password',
      'password + authenticator app',
      'password + recovery code',
    ])
    assert.match(html, /<td class="sign-in-methods">password \+ authenticator app<\/td>/)
  })
})

test.group('Sessions | sign out everywhere behind a recent proof', () => {
  test('past the window it answers 403 recent-auth; after confirming, it ends every session, partly signed-in ones included', async ({
    assert,
  }) => {
    const { user, secret } = await userWithTotp()
    const partial = new Visitor()
    await partial.signIn(user.email, MFA_PASSWORD)
    const full = new Visitor()
    await full.signIn(user.email, MFA_PASSWORD)
    await passChallenge(full, totpCode(secret, Date.now()))

    timeTravel('11 minutes')
    const refused = await full.fetch('/logout/all', {
      method: 'POST',
      headers: { ...JSON_ACCEPT, 'x-csrf-token': await apiCsrfToken(full) },
    })
    assert.equal(refused.status, 403)
    assert.equal(claimFailuresOf(await refused.json())[0].id, 'recent-auth')
    const stillThere = await partial.fetch('/mfa/challenge', { headers: HTML })
    assert.equal(stillThere.status, 200)

    const { token } = await full.form('/sessions')
    const browser = await full.post('/logout/all', { _csrf: token })
    assert.equal(browser.status, 302)
    assert.equal(browser.headers.get('location'), '/confirm')

    const confirmed = await confirmAsBrowser(full, { code: totpCode(secret, Date.now()) })
    assert.equal(confirmed.status, 302)
    const again = await full.form('/sessions')
    const out = await full.post('/logout/all', { _csrf: again.token })
    assert.equal(out.status, 302)
    assert.equal(out.headers.get('location'), '/login')
    const after = await partial.fetch('/mfa/challenge', { headers: JSON_ACCEPT })
    assert.equal(after.status, 401, 'the session without mfa ended too')
  })
})
