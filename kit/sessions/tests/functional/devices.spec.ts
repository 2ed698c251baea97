import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { appKey } from '#config/app'
import { familyStores } from '#config/session'
import { DatabaseFamilyStore } from '#kit/sessions/src/database_family_store'
import { SessionFamilies } from '#kit/sessions/src/session_families'
import type { SessionSummary } from '#kit/sessions/src/types'
import { csrfTokenOf, signIn, testServer } from '#kit/testing'

/**
 * The database family store, with one more device in every list and a
 * record of the families revoked through it.
 */
class WatchedStore extends DatabaseFamilyStore {
  revoked: string[] = []

  async listUser(userId: string, now: number): Promise<SessionSummary[]> {
    const extra = {
      familyId: 'extra-family',
      createdAt: new Date(0),
      lastUsedAt: new Date(0),
      userAgent: 'Device of the swapped store',
      signInMethods: [],
    }
    return [...(await super.listUser(userId, now)), extra]
  }

  async destroyFamily(userId: string, familyId: string) {
    this.revoked.push(familyId)
    return super.destroyFamily(userId, familyId)
  }
}

/**
 * Has the container hand out session families whose store is a
 * `WatchedStore` (same config, policy and key as the real ones).
 */
async function swapInWatchedStore() {
  const real = await app.container.make(SessionFamilies)
  const store = new WatchedStore(db.connection(), appKey.release(), familyStores.database.tableName)
  app.container.swap(
    SessionFamilies,
    () => new SessionFamilies(real.config, real.policy, real.userIdKey, store)
  )
  return store
}

test.group('Devices | the list of sessions', (group) => {
  group.each.setup(async () => {
    await db.from('sessions').delete()
    return () => app.container.restore(SessionFamilies)
  })

  test('lists what the family store from the container lists', async ({ client, assert }) => {
    const { token } = await signIn(testServer, 'demo@example.com')
    await swapInWatchedStore()

    const page = await client.get('/sessions').as(token)

    page.assertStatus(200)
    page.assertTextIncludes('Device of the swapped store')
    assert.equal(page.text().match(/\(this session\)/g)?.length, 1)
  })

  test('revokes through the family store from the container', async ({ client, assert }) => {
    await signIn(testServer, 'demo@example.com')
    const { token: laptop } = await signIn(testServer, 'demo@example.com')
    const store = await swapInWatchedStore()
    const page = await client.get('/sessions').as(laptop)
    const [, phoneFamily] = page.text().match(/action="\/sessions\/([^"/]+)\/revoke"/)!

    const revoke = await client
      .post(`/sessions/${phoneFamily}/revoke`)
      .form({ _csrf: csrfTokenOf(page.text()) })
      .as(laptop)
      .redirects(0)

    revoke.assertStatus(302)
    revoke.assertHeader('location', '/sessions')
    assert.deepEqual(store.revoked, [phoneFamily])
  })

  test('a user signed in with loginAs() finds that session in the list', async ({ client }) => {
    const { default: User } = await import('#models/user')
    const user = await User.findByOrFail('email', 'demo@example.com')

    const page = await client.get('/sessions').loginAs(user)

    page.assertStatus(200)
    page.assertTextIncludes('japa')
    page.assertTextIncludes('(this session)')
  })
})
