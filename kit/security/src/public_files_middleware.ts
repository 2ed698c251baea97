import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { ApplicationService } from '@adonisjs/core/types'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'

/**
 * The URL paths of the files and folders below `folder` (folders with and
 * without their trailing slash); just "/" when the folder does not exist.
 */
export function listPublicPaths(folder: string, urlPath = '', paths = new Set<string>(['/'])) {
  let entries
  try {
    entries = readdirSync(folder, { withFileTypes: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return paths
    }
    throw error
  }
  for (const entry of entries) {
    const path = `${urlPath}/${entry.name}`
    paths.add(path)
    if (entry.isDirectory()) {
      paths.add(`${path}/`)
      listPublicPaths(join(folder, entry.name), path, paths)
    }
  }
  return paths
}

/**
 * Serves the files of "public/" through @adonisjs/static (config/static.ts).
 *
 * The static middleware asks the disk (fs.stat, through libuv's thread
 * pool) about every request before the router sees it. In production this
 * middleware first checks the path against the list of files read at boot,
 * and sends every other request straight on, which saves that round trip
 * on every page, API call and error. In development the disk is asked
 * every time, so a new file is served at once.
 *
 * One instance per app, made by the security provider.
 */
export default class PublicFilesMiddleware {
  /**
   * In production, the paths "public/" holds, read once: the build ships
   * "public/" and nothing adds files to it while the server runs.
   * Undefined in development and tests, where files come and go.
   */
  #publicPaths: Set<string> | undefined

  /**
   * The static middleware, made once (the container would make a new one,
   * with a new serve-static handler, for every request).
   */
  #staticFiles: Promise<StaticMiddleware> | undefined

  constructor(protected app: ApplicationService) {}

  async handle(ctx: HttpContext, next: NextFn) {
    if (this.app.inProduction) {
      this.#publicPaths ??= listPublicPaths(this.app.publicPath())
      const path = decodedPath(ctx.request.url())
      if (path === undefined || !this.#publicPaths.has(path)) {
        return next()
      }
    }
    this.#staticFiles ??= this.app.container.make(StaticMiddleware)
    const middleware = await this.#staticFiles
    return middleware.handle(ctx, next)
  }
}

/**
 * The path of a request URL as serve-static matches it against files
 * (undefined when it does not decode: no file has such a name).
 */
function decodedPath(path: string): string | undefined {
  try {
    return decodeURIComponent(path)
  } catch {
    return undefined
  }
}
