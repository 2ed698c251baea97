import type { HttpContext } from '@adonisjs/core/http'

/**
 * What the errors module needs of a page policy: giving a response that
 * shield's middleware never saw its Content-Security-Policy and nonce
 * (error pages style themselves with that nonce). A module that makes
 * such a policy binds it as 'errors.page_policy' (the security module's
 * provider does); without one, error pages are sent without it.
 */
export interface ErrorPagePolicy {
  /**
   * Applies the policy to a response that has none yet; keeps a policy
   * already set, so it is applied once per response.
   */
  apply(ctx: HttpContext): Promise<void>
}

declare module '@adonisjs/core/types' {
  interface ContainerBindings {
    'errors.page_policy': ErrorPagePolicy
  }
}

/**
 * The page policy bound as 'errors.page_policy', if any.
 */
export async function resolvePagePolicy(ctx: HttpContext): Promise<ErrorPagePolicy | undefined> {
  if (!ctx.containerResolver.hasBinding('errors.page_policy')) {
    return undefined
  }
  return ctx.containerResolver.make('errors.page_policy')
}

/**
 * Gives an error response the page policy bound as 'errors.page_policy',
 * if any: `policy` when the caller resolved it already (the handler keeps
 * it), else resolved from the container.
 */
export async function applyPagePolicy(ctx: HttpContext, policy?: ErrorPagePolicy) {
  const resolved = policy ?? (await resolvePagePolicy(ctx))
  await resolved?.apply(ctx)
}
