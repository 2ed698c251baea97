/*
|--------------------------------------------------------------------------
| Edge settings
|--------------------------------------------------------------------------
|
| Preloaded (adonisrc.ts) after the Edge provider has set Edge up.
|
*/

import edge from 'edge.js'
import app from '@adonisjs/core/services/app'

/**
 * List the components of "resources/views/components" once in production.
 *
 * Edge lists that folder (synchronously) whenever a renderer is created,
 * and AdonisJS creates one on every request (the session package shares
 * the flash messages with the views), JSON requests included. Edge stops
 * listing only when its cache is on at construction, but AdonisJS turns
 * the cache on later with `edge.configure()`, so a production server would
 * read the disk on every request. Templates are cached in production: new
 * components appear with a new deployment, never while the server runs.
 */
if (app.inProduction) {
  const listComponents = edge.loader.listComponents.bind(edge.loader)
  let components: ReturnType<typeof listComponents> | undefined
  edge.loader.listComponents = () => (components ??= listComponents())
}
