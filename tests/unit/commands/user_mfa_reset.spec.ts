import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import encryption from '@adonisjs/core/services/encryption'
import UserMfaReset from '#commands/user_mfa_reset'
import { capturedLogger } from '#kit/testing'
import { generateTotpSecret } from '#kit/mfa'
import TotpFactor from '#models/totp_factor'
import RecoveryCode from '#models/recovery_code'
import { SessionFamilies, generateSessionToken } from '#kit/sessions'
import { createUser } from '#tests/helpers/mfa'

/**
 * The app's ace kernel, logging in memory.
 */
async function kernel() {
  const ace = await app.container.make('ace')
  ace.ui.switchMode('raw')
  return ace
}

/**
 * The log lines of a command, joined.
 */
function logsOf(command: UserMfaReset) {
  return command.logger
    .getLogs()
    .map((log) => log.message)
    .join('\n')
}

/**
 * A user with a confirmed authenticator app and ten recovery codes.
 */
async function userWithFactors() {
  const user = await createUser('reset')
  await TotpFactor.create({
    userId: user.id,
    secret: encryption.encrypt(generateTotpSecret(), undefined, 'totp_secret'),
    confirmedAt: DateTime.now(),
  })
  await RecoveryCode.replaceFor(user)
  return user
}

test.group('user:mfa-reset', () => {
  test("removes the user's authenticator app and recovery codes, logged as a security event", async ({
    assert,
  }) => {
    const user = await userWithFactors()
    const other = await userWithFactors()
    assert.isTrue(await user.hasSecondFactor())

    const ace = await kernel()
    const command = await ace.create(UserMfaReset, [`--email=  ${user.email.toUpperCase()} `])
    const { logger, lines } = capturedLogger()
    command.securityLogger = logger
    await command.exec()

    command.assertSucceeded()
    assert.isFalse(await user.hasSecondFactor())
    assert.equal(await RecoveryCode.countFor(user), 0)
    assert.include(logsOf(command), `Removed the second factors of user #${user.id}`)
    assert.include(logsOf(command), '10 recovery code(s)')

    const event = lines.find((line) => line.event === 'mfa.reset')
    assert.isDefined(event, 'the security event is logged')
    assert.equal(event!.level, 40)
    assert.equal(event!.userId, user.id)
    assert.isTrue(event!.totpRemoved)
    assert.equal(event!.recoveryCodesRemoved, 10)
    assert.notInclude(JSON.stringify(event), user.email, 'the address is masked')

    assert.isTrue(await other.hasSecondFactor(), 'another user keeps theirs')
    assert.equal(await RecoveryCode.countFor(other), 10)
  })

  test("removes the user's passkeys too (the lost device may hold them)", async ({ assert }) => {
    const user = await userWithFactors()
    const other = await createUser('reset')
    for (const [owner, id] of [
      [user, 'lost-phone'],
      [user, 'lost-laptop'],
      [other, 'kept'],
    ] as const) {
      await db.table('webauthn_credentials').insert({
        user_id: owner.id,
        credential_id: `${id}-${owner.id}`,
        public_key: 'cHVibGlj',
        aaguid: '00000000-0000-0000-0000-000000000000',
        counter: 0,
        name: id,
        created_at: new Date(),
      })
    }

    const ace = await kernel()
    const command = await ace.create(UserMfaReset, [`--email=${user.email}`])
    const { logger, lines } = capturedLogger()
    command.securityLogger = logger
    await command.exec()

    command.assertSucceeded()
    assert.deepEqual(await user.secondFactors(), [])
    assert.include(logsOf(command), '2 passkey(s)')
    assert.equal(lines.find((line) => line.event === 'mfa.reset')!.passkeysRemoved, 2)
    assert.deepEqual(await other.secondFactors(), ['passkey'], 'another user keeps theirs')
  })

  test('an unknown email: nothing removed, exit code 1', async ({ assert }) => {
    const before = await db.from('totp_factors').count('* as total')
    const ace = await kernel()
    const command = await ace.create(UserMfaReset, ['--email=nobody.at.all@example.com'])
    const { logger, lines } = capturedLogger()
    command.securityLogger = logger
    await command.exec()

    assert.equal(command.exitCode, 1)
    assert.include(logsOf(command), 'No user has the email address')
    assert.deepEqual(await db.from('totp_factors').count('* as total'), before)
    assert.isUndefined(lines.find((line) => line.event === 'mfa.reset'))
  })

  test('a user without a second factor: says so, still logged', async ({ assert }) => {
    const user = await createUser('reset')
    const ace = await kernel()
    const command = await ace.create(UserMfaReset, [`--email=${user.email}`])
    const { logger, lines } = capturedLogger()
    command.securityLogger = logger
    await command.exec()

    command.assertSucceeded()
    assert.include(logsOf(command), 'had no second factor')
    assert.isDefined(lines.find((line) => line.event === 'mfa.reset'))
  })

  test("signs the user out everywhere (whoever holds the lost factor may hold a session); other users' sessions stay", async ({
    assert,
  }) => {
    const user = await userWithFactors()
    const other = await userWithFactors()
    const families = await app.container.make(SessionFamilies)
    const store = families.store!
    const now = Date.now()
    for (const owner of [user, user, other]) {
      await store.create(
        generateSessionToken(),
        { [families.userIdKey]: owner.id, signInMethods: ['password'] },
        { userId: String(owner.id), userAgent: 'Tests/1.0' },
        families.policy,
        now
      )
    }
    assert.lengthOf(await store.listUser(String(user.id), now), 2)

    const ace = await kernel()
    const command = await ace.create(UserMfaReset, [`--email=${user.email}`])
    const { logger, lines } = capturedLogger()
    command.securityLogger = logger
    await command.exec()

    command.assertSucceeded()
    assert.deepEqual(await store.listUser(String(user.id), Date.now()), [])
    assert.lengthOf(await store.listUser(String(other.id), Date.now()), 1)
    assert.include(logsOf(command), 'signed out 2 session(s)')
    assert.equal(lines.find((line) => line.event === 'mfa.reset')!.sessionsEnded, 2)
  })
})
