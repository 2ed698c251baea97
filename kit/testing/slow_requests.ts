import { setTimeout as sleep } from 'node:timers/promises'
import { testServer, type Visitor } from '#kit/testing/visitor'
import type { Send } from '#kit/testing/sign_in'

/**
 * Slow requests of a browser, held at gates of the test routes
 * ("kit/testing/fixtures/session_routes.ts") until the test opens them: what
 * another tab, a slow upload or a form whose mail takes seconds does while
 * the browser's other requests go on.
 */
export class SlowRequests {
  /**
   * `send` reaches the server the held requests run on.
   */
  constructor(protected send: Send = testServer) {}

  /**
   * Sends a request of the browser (its path names a `gate`) as an API
   * client; it is held until that gate opens.
   */
  start(browser: Visitor, path: string): Promise<Response> {
    return browser.fetch(path, { headers: { accept: 'application/json' } })
  }

  /**
   * Resolves once a request waits at the gate: its session was resolved
   * and its handler runs.
   */
  async waiting(gate: string) {
    for (let attempt = 0; attempt < 500; attempt++) {
      const response = await this.send(`/__test__/session/gates/${gate}`)
      const { waiting } = (await response.json()) as { waiting: number }
      if (waiting > 0) {
        return
      }
      await sleep(10)
    }
    throw new Error(`No request came to the gate "${gate}"`)
  }

  /**
   * Opens the gate and returns the held request's response.
   */
  async finish(gate: string, pending: Promise<Response>): Promise<Response> {
    const opened = await this.send(`/__test__/session/gates/${gate}/open`)
    await opened.body?.cancel()
    return pending
  }
}
