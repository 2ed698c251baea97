import type { IncomingMessage, ServerResponse } from 'node:http'
import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { CspOptions } from '@adonisjs/shield/types'
import { cspFactory } from '@adonisjs/shield/guards'

type CspGuard = (ctx: HttpContext) => void | Promise<void>

/**
 * The page policy of the pages shield's middleware never sees: shield's
 * own CSP guard with the app's `csp` settings ("config/shield.ts"), and
 * the Referrer-Policy of the security config. One instance per app, made
 * by the security provider, also bound as 'errors.page_policy' for the
 * errors module.
 */
export class PagePolicy {
  #guard: CspGuard

  /**
   * The guard gets its own copy of the directives: shield's guards
   * rewrite the "@nonce" entries of the arrays they are given.
   */
  constructor(
    csp: CspOptions,
    readonly referrerPolicy: string
  ) {
    const directives: NonNullable<CspOptions['directives']> = {}
    for (const [name, values] of Object.entries(csp.directives ?? {})) {
      directives[name] = Array.isArray(values) ? [...values] : values
    }
    this.#guard = cspFactory({ ...csp, directives })
  }

  /**
   * Gives a page that shield's middleware never saw the policy shield
   * gives every routed page: the same Content-Security-Policy header and a
   * fresh nonce, as `ctx.response.nonce` and as `cspNonce` in views. A
   * response shield already saw keeps its nonce, so the header and the
   * page always agree. Pages shield never sees: the 404 for an unknown URL
   * (no route, so no router middleware), and errors thrown by a server
   * middleware or by a router middleware that runs before shield (the body
   * parser, the session middleware). The errors module calls this for
   * every error, through the 'errors.page_policy' binding the security
   * provider makes.
   */
  async apply(ctx: HttpContext) {
    if (ctx.response.nonce === undefined) {
      await this.#guard(ctx)
    }
  }

  /**
   * See `applyRawPagePolicy`.
   */
  async applyRaw(request: IncomingMessage, response: ServerResponse): Promise<string | undefined> {
    response.setHeader('referrer-policy', this.referrerPolicy)
    try {
      await this.#guard({ response: { request, response } } as unknown as HttpContext)
      return response.nonce
    } catch {
      return undefined
    }
  }
}

/**
 * `PagePolicy.apply` for the one page sent before AdonisJS makes an HTTP
 * context (the bad-URL page of "kit/errors/src/bad_url.ts"): sets the
 * Content-Security-Policy and Referrer-Policy headers on the Node response
 * and returns the nonce. Shield's guard only touches `ctx.response`'s Node
 * request and response (and `ctx.view`, which this stand-in lacks). Never
 * rejects: without a policy, the page is still sent.
 */
export async function applyRawPagePolicy(
  request: IncomingMessage,
  response: ServerResponse
): Promise<string | undefined> {
  let policy: PagePolicy
  try {
    policy = await app.container.make(PagePolicy)
  } catch {
    return undefined
  }
  return policy.applyRaw(request, response)
}
