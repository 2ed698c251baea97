import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import User from '#models/user'
import { DEMO_PASSWORD } from '#database/seeders/demo_users_seeder'

const PASSWORD = 'correct horse battery'

/**
 * Addresses that could pass for another one on screen or in a mail
 * client, each refused with the message of its kind.
 */
const LOOKALIKES: { name: string; email: string; kind: 'invisible' | 'quoted' }[] = [
  { name: 'a soft hyphen (U+00AD)', email: 'de\u00admo@example.com', kind: 'invisible' },
  { name: 'right-to-left override (U+202E)', email: 'demo\u202e@example.com', kind: 'invisible' },
  { name: 'left-to-right mark (U+200E)', email: 'demo@\u200eexample.com', kind: 'invisible' },
  { name: 'a zero-width space (U+200B)', email: 'de\u200bmo@example.com', kind: 'invisible' },
  { name: 'a zero-width space at the end', email: 'demo@example.com\u200b', kind: 'invisible' },
  { name: 'a zero-width joiner (U+200D)', email: 'de\u200dmo@example.com', kind: 'invisible' },
  { name: 'a word joiner (U+2060)', email: 'de\u2060mo@example.com', kind: 'invisible' },
  { name: 'a byte order mark inside (U+FEFF)', email: 'de\ufeffmo@example.com', kind: 'invisible' },
  { name: 'a variation selector (U+FE0F)', email: 'de\ufe0fmo@example.com', kind: 'invisible' },
  { name: 'a Hangul filler (U+3164)', email: 'de\u3164mo@example.com', kind: 'invisible' },
  { name: 'a no-break space inside', email: 'de\u00a0mo@example.com', kind: 'invisible' },
  { name: 'a quoted local part', email: '"demo"@example.com', kind: 'quoted' },
  { name: 'a quoted local part with a space', email: '"de mo"@example.com', kind: 'quoted' },
]

const MESSAGES = {
  invisible: 'The email field must not contain spaces, invisible or control characters',
  quoted: 'The email field must not contain quotes',
}

test.group('Accounts | lookalike email addresses', (group) => {
  group.each.setup(async () => {
    const mails = mail.fake()
    return async () => {
      mail.restore()
      mails.messages.clear()
      await db.from('users').whereRaw("lower(email) like 'lookalike%'").delete()
      await db
        .from('users')
        .whereIn(
          'email',
          LOOKALIKES.map(({ email }) => email.trim().toLowerCase())
        )
        .delete()
    }
  })

  test('sign-up refuses {name}: 422 on the email field, no account')
    .with(LOOKALIKES)
    .run(async ({ client, assert }, { email, kind }) => {
      const before = await db.from('users').count('* as total')
      const response = await client
        .post('/signup')
        .json({ email, password: PASSWORD, password_confirmation: PASSWORD })
        .accepting('json')
        .withCsrfToken()
        .redirects(0)

      response.assertStatus(422)
      const [error] = response.body().errors
      assert.include(error, { field: 'email', rule: 'plainEmail', message: MESSAGES[kind] })
      const after = await db.from('users').count('* as total')
      assert.deepEqual(after, before)
    })

  test('forgot password refuses {name}: 422, no mail')
    .with(LOOKALIKES)
    .run(async ({ client, assert }, { email, kind }) => {
      const mails = mail.fake()
      const response = await client
        .post('/forgot-password')
        .json({ email })
        .accepting('json')
        .withCsrfToken()
        .redirects(0)

      response.assertStatus(422)
      assert.include(response.body().errors[0], { field: 'email', message: MESSAGES[kind] })
      mails.messages.assertNoneSent()
    })

  test('sign-in refuses every lookalike before any lookup, even with the right password', async ({
    client,
    assert,
  }) => {
    for (const { email, kind } of LOOKALIKES) {
      const response = await client
        .post('/login')
        .json({ email, password: DEMO_PASSWORD })
        .accepting('json')
        .withCsrfToken()
        .redirects(0)

      response.assertStatus(422)
      assert.include(response.body().errors[0], { field: 'email', message: MESSAGES[kind] })
    }
  })

  test('an address typed with a combining accent is stored, found and signed in as NFC', async ({
    client,
    assert,
  }) => {
    const decomposed = 'Lookalike.Re\u0301mi@Example.com'
    const composed = 'lookalike.r\u00e9mi@example.com'

    const signUp = await client
      .post('/signup')
      .json({ email: decomposed, password: PASSWORD, password_confirmation: PASSWORD })
      .accepting('json')
      .withCsrfToken()
      .redirects(0)
    signUp.assertStatus(302)
    const row = await db.from('users').whereRaw("email like 'lookalike%'").firstOrFail()
    assert.equal(row.email, composed)

    const again = await client
      .post('/signup')
      .json({ email: composed.toUpperCase(), password: PASSWORD, password_confirmation: PASSWORD })
      .accepting('json')
      .withCsrfToken()
      .redirects(0)
    again.assertStatus(422)
    assert.include(again.body().errors[0], { field: 'email', rule: 'database.unique' })

    for (const email of [decomposed, composed, 'LOOKALIKE.R\u00c9MI@example.com']) {
      const signIn = await client
        .post('/login')
        .json({ email, password: PASSWORD })
        .accepting('json')
        .withCsrfToken()
        .redirects(0)
      signIn.assertStatus(200)
      signIn.assertBodyContains({ user: { email: composed } })
    }
  })

  test('the model stores an address in NFC, whoever saves it', async ({ assert }) => {
    const user = await User.create({
      email: ' Lookalike.Zoe\u0308@Example.com ',
      password: PASSWORD,
    })
    const row = await db.from('users').where('id', user.id).firstOrFail()
    assert.equal(row.email, 'lookalike.zo\u00eb@example.com')
  })
})
