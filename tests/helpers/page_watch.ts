import type { BrowserContext, Page } from 'playwright'

/**
 * A console message or uncaught error seen on a page.
 */
export type ConsoleProblem = { text: string; url: string }

/**
 * Records what a page does from now on: every request it sends and every
 * console error or uncaught exception.
 */
export function watchPage(page: Page) {
  const requests: string[] = []
  const problems: ConsoleProblem[] = []

  page.on('request', (request) => requests.push(request.url()))
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push({ text: message.text(), url: message.location().url })
    }
  })
  page.on('pageerror', (error) => problems.push({ text: String(error), url: page.url() }))

  return {
    /**
     * Every URL the page requested, in order.
     */
    requests,

    /**
     * Console errors and uncaught exceptions, except Chromium's own note
     * that a document answered with an error status ("Failed to load
     * resource: the server responded with a status of 404"): a status page
     * has that status on purpose.
     */
    problems(documentUrl: string, status: number) {
      const ownStatus = `Failed to load resource: the server responded with a status of ${status} `
      return problems.filter(
        (problem) => !(problem.url === documentUrl && problem.text.startsWith(ownStatus))
      )
    },

    /**
     * Every console error and uncaught exception.
     */
    allProblems: problems,
  }
}

/**
 * A Content-Security-Policy violation a page reported.
 */
export type PolicyViolation = { directive: string; blocked: string; url: string }

/**
 * Records every Content-Security-Policy violation of the pages `context`
 * opens from now on: a listener for the `securitypolicyviolation` event,
 * installed before any of the page's own content runs, reports through a
 * binding (neither is subject to the page's policy). Chromium also logs
 * each violation as a console error, which `watchPage` records.
 */
export async function watchPolicyViolations(context: BrowserContext) {
  const violations: PolicyViolation[] = []
  await context.exposeBinding('__reportPolicyViolation', (_source, violation: PolicyViolation) => {
    violations.push(violation)
  })
  await context.addInitScript(() => {
    const page = globalThis as any
    page.document.addEventListener('securitypolicyviolation', (event: any) =>
      page.__reportPolicyViolation({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        url: event.documentURI,
      })
    )
  })
  return violations
}
