import { indexEntities } from '@adonisjs/core/generators'
import { defineConfig } from '@adonisjs/core/app'

export default defineConfig({
  /*
  |--------------------------------------------------------------------------
  | Commands
  |--------------------------------------------------------------------------
  |
  | List of ace commands to register from packages. The application commands
  | will be scanned automatically from the "./commands" directory.
  |
  | "#commands/_loader" comes after "@adonisjs/core/commands": its commands
  | (our "make:exception") replace core's commands of the same name.
  |
  */
  commands: [
    () => import('@adonisjs/core/commands'),
    () => import('@adonisjs/lucid/commands'),
    () => import('@adonisjs/session/commands'),
    () => import('@adonisjs/mail/commands'),
    () => import('#kit/generators/commands'),
  ],

  /*
  |--------------------------------------------------------------------------
  | Service providers
  |--------------------------------------------------------------------------
  |
  | List of service providers to import and register when booting the
  | application
  |
  */
  providers: [
    () => import('@adonisjs/core/providers/app_provider'),
    () => import('@adonisjs/core/providers/hash_provider'),
    {
      file: () => import('@adonisjs/core/providers/repl_provider'),
      environment: ['repl', 'test'],
    },
    () => import('@adonisjs/core/providers/vinejs_provider'),
    () => import('@adonisjs/core/providers/edge_provider'),
    () => import('@adonisjs/redis/redis_provider'),
    () => import('@adonisjs/session/session_provider'),
    () => import('@adonisjs/shield/shield_provider'),
    () => import('@adonisjs/static/static_provider'),
    () => import('@adonisjs/lucid/database_provider'),
    () => import('@adonisjs/auth/auth_provider'),
    () => import('@adonisjs/mail/mail_provider'),
    () => import('@adonisjs/limiter/limiter_provider'),
    () => import('#kit/sessions/provider'),
    () => import('#kit/security/provider'),
    {
      file: () => import('#kit/errors/provider'),
      environment: ['web', 'test', 'repl'],
    },
    () => import('#kit/runtime/provider'),
  ],

  /*
  |--------------------------------------------------------------------------
  | Preloads
  |--------------------------------------------------------------------------
  |
  | List of modules to import before starting the application.
  |
  */
  preloads: [
    () => import('#start/routes'),
    () => import('#start/kernel'),
    () => import('#start/safe_redirects'),
    () => import('#start/view'),
  ],

  /*
  |--------------------------------------------------------------------------
  | Tests
  |--------------------------------------------------------------------------
  |
  | List of test suites to organize tests by their type. Feel free to remove
  | and add additional suites.
  |
  */
  tests: {
    suites: [
      {
        /**
         * The app's own behaviour: its controllers, forms, pages and
         * commands. "npm run test:app" runs these two suites alone.
         */
        files: ['tests/unit/**/*.spec.{ts,js}'],
        name: 'unit',
        timeout: 10000,
      },
      {
        files: ['tests/functional/**/*.spec.{ts,js}'],
        name: 'functional',
        timeout: 30000,
      },
      {
        /**
         * The kit's modules, tested where they live ("kit/<module>/tests").
         */
        files: ['kit/*/tests/unit/**/*.spec.{ts,js}'],
        name: 'kit-unit',
        timeout: 10000,
      },
      {
        files: ['kit/*/tests/functional/**/*.spec.{ts,js}'],
        name: 'kit-functional',
        timeout: 30000,
      },
      {
        files: ['tests/browser/**/*.spec.{ts,js}'],
        name: 'browser',
        timeout: 60000,
      },
      {
        /**
         * Several app instances sharing Redis and PostgreSQL (both must be
         * running): "npm run test:multinode". Not part of "npm test".
         */
        files: ['kit/*/tests/multinode/**/*.spec.{ts,js}', 'tests/multinode/**/*.spec.{ts,js}'],
        name: 'multinode',
        timeout: 30000,
      },
      {
        /**
         * The kit's own checks of this repository (import rules, README
         * completeness): run by the kit's CI, not by "npm test", so that
         * an app's own edits never fail them.
         */
        files: ['kit/checks/**/*.spec.{ts,js}'],
        name: 'checks',
        timeout: 30000,
      },
    ],
    forceExit: false,
  },

  /*
  |--------------------------------------------------------------------------
  | Metafiles
  |--------------------------------------------------------------------------
  |
  | A collection of files you want to copy to the build folder when creating
  | the production build.
  |
  */
  metaFiles: [
    {
      pattern: 'resources/views/**/*.edge',
      reloadServer: false,
    },
    {
      pattern: 'public/**',
      reloadServer: false,
    },
    {
      /**
       * "npm start" in the build (plain JavaScript, not compiled).
       */
      pattern: 'bin/start.js',
      reloadServer: false,
    },
    {
      /**
       * The Node.js version check that "bin/start.js" and "bin/server.js"
       * import first (plain JavaScript, not compiled).
       */
      pattern: 'bin/node_version.js',
      reloadServer: false,
    },
  ],

  /*
  |--------------------------------------------------------------------------
  | Hooks
  |--------------------------------------------------------------------------
  |
  | Assembler hooks, run by the dev server, the test runner and "node ace
  | build" in their own process (not in the app). indexEntities() writes
  | the barrel files of ".adonisjs/server/" (for example the controllers
  | that "start/routes.ts" imports from "#generated/controllers") and keeps
  | them in sync while "npm run dev" runs. "#kit/runtime/first_run_notices" prints the
  | first-run lines of "node ace serve" after it has cleared the screen (a bare
  | "node ace serve" does; "npm run dev" passes --no-clear).
  | "#kit/runtime/build_banner" adds the migrations and the first-deploy
  | checklist (docs/production.md) to the commands "node ace build" ends with.
  |
  */
  hooks: {
    init: [indexEntities(), () => import('#kit/runtime/first_run_notices')],
    buildFinished: [() => import('#kit/runtime/build_banner')],
  },
})
