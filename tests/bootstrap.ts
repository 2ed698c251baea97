import { rm } from 'node:fs/promises'
import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import { browserClient } from '@japa/browser-client'
import { fileSystem } from '@japa/file-system'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import testUtils from '@adonisjs/core/services/test_utils'
import env from '#start/env'
import { printableTitles, runMigrations, sessionApiClient } from '#kit/testing'
import { launchChromium } from '#tests/helpers/chromium'

/**
 * Test-only routes (never registered by start/routes.ts): routes that
 * throw, routes that hand out the CSRF token in unusual ways, and one that
 * echoes the parsed body.
 */
import '#kit/testing/fixtures/error_routes'
import '#kit/testing/fixtures/session_routes'
import '#kit/testing/fixtures/body_routes'

/**
 * This file is imported by the "bin/test.ts" entrypoint file
 */

/**
 * Configure Japa plugins in the plugins array.
 * Learn more - https://japa.dev/docs/runner-config#plugins-optional
 */
export const plugins: Config['plugins'] = [
  assert(),
  apiClient(),
  fileSystem({ autoClean: true }),
  pluginAdonisJS(app),
  sessionApiClient(),
  shieldApiClient(),
  authApiClient(app),
  /**
   * Fails a run whose test titles would not print on one line (a tab or a
   * line break in a dataset value) or read "[object Object]".
   */
  printableTitles(),
  /**
   * A real Chromium for the "browser" suite only: the other suites never
   * launch it, so "npm test" runs on machines without Chromium.
   */
  browserClient({
    runInSuites: ['browser'],
    launcher: launchChromium,
    contextOptions: { viewport: { width: 1024, height: 768 }, locale: 'en-US', timezoneId: 'UTC' },
  }),
]

/**
 * The test database file, removed with its WAL files when the run ends so
 * that "npm test" leaves nothing behind.
 */
async function removeTestDatabase() {
  const file = app.makePath(env.get('DB_SQLITE_FILE', 'tmp/test.sqlite3'))
  await Promise.all(
    ['', '-wal', '-shm', '-journal'].map((suffix) => rm(file + suffix, { force: true }))
  )
}

/**
 * Configure lifecycle function to run before and after all the
 * tests.
 *
 * The setup functions are executed before all the tests
 * The teardown functions are executed after all the tests
 */
export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  /**
   * A new database for every run, migrated without a word (a failing
   * migration throws): see `runMigrations`.
   */
  setup: [removeTestDatabase, () => runMigrations(), () => testUtils.db().seed()],
  teardown: [
    async () => {
      const db = await app.container.make('lucid.db')
      await db.manager.closeAll()
      await removeTestDatabase()
    },
  ],
}

/**
 * Configure suites by tapping into the test suite instance.
 * Learn more - https://japa.dev/docs/test-suites#lifecycle-hooks
 */
export const configureSuite: Config['configureSuite'] = (suite) => {
  /**
   * The browser suite starts its own production-mode servers
   * (kit/testing/app_process.ts) instead.
   */
  if (['functional', 'kit-functional'].includes(suite.name)) {
    return suite.setup(() => testUtils.httpServer().start())
  }
}
