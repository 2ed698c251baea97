import { randomBytes } from 'node:crypto'
import type { AppProcess } from '#kit/testing/app_process'
import { csrfTokenOf } from '#kit/testing/sign_in'

/**
 * One sign-in through the login form of a spawned server.
 */
export type SignInAttempt = {
  email: string
  password: string
  /**
   * The client's address, sent as "x-forwarded-for": the server must
   * trust it from loopback (TRUST_PROXY=loopback), as from a proxy on the
   * same machine.
   */
  ip: string
  /**
   * The Accept header of the POST: 'text/html' (a browser, the default),
   * 'application/json', 'application/vnd.api+json' or
   * 'application/problem+json'.
   */
  accept?: string
  /**
   * The "x-request-id" of the POST.
   */
  requestId?: string
  /**
   * The server the form is posted to (the one it came from unless given).
   */
  postTo?: AppProcess
}

/**
 * The cookies a response set, ready for a Cookie header.
 */
function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ')
}

/**
 * Fetches the login form, then posts it with the given credentials from
 * the given address. Answers: 302 to "/" (signed in), 302 to "/login" (a
 * failure, for browsers), 400 (a failure, for API clients) or 429.
 */
export async function attemptSignIn(server: AppProcess, attempt: SignInAttempt) {
  const form = await server.fetch('/login', { headers: { 'x-forwarded-for': attempt.ip } })
  const csrf = csrfTokenOf(await form.text())
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    'cookie': cookiesOf(form),
    'accept': attempt.accept ?? 'text/html',
    'x-forwarded-for': attempt.ip,
  }
  if (attempt.requestId) {
    headers['x-request-id'] = attempt.requestId
  }
  return (attempt.postTo ?? server).fetch('/login', {
    method: 'POST',
    headers,
    body: new URLSearchParams({ email: attempt.email, password: attempt.password, _csrf: csrf }),
  })
}

/**
 * `count` sign-ins with a wrong password for `email`, from `ip` (called
 * for each attempt when it is a function: a new address each time), one
 * after the other. Resolves with the answers' statuses and locations.
 */
export async function failSignIns(
  server: AppProcess,
  email: string,
  ip: string | (() => string),
  count: number
) {
  const answers: { status: number; location: string | null }[] = []
  for (let attempt = 0; attempt < count; attempt++) {
    const address = typeof ip === 'function' ? ip() : ip
    const response = await attemptSignIn(server, { email, password: 'wrong', ip: address })
    answers.push({ status: response.status, location: response.headers.get('location') })
  }
  return answers
}

/**
 * True when the response is a successful sign-in.
 */
export function signedIn(response: Response) {
  return response.status === 302 && response.headers.get('location') === '/'
}

/**
 * A random private address (10.0.0.0/8): each test gets throttle keys of
 * its own.
 */
export function freshIp(): string {
  const [a, b, c] = randomBytes(3)
  return `10.${a}.${b}.${c}`
}

/**
 * The environment of a server with small throttle limits, that trusts
 * "x-forwarded-for" from loopback (so each test can come from a
 * `freshIp()` of its own): `AppProcess.start(throttledServerEnv(...))`.
 */
export function throttledServerEnv(limits: {
  accountAttempts: number
  ipAttempts: number
  lockoutSeconds: number
}): Record<string, string> {
  return {
    TRUST_PROXY: 'loopback',
    THROTTLE_ACCOUNT_ATTEMPTS: String(limits.accountAttempts),
    THROTTLE_IP_ATTEMPTS: String(limits.ipAttempts),
    THROTTLE_LOCKOUT: `${limits.lockoutSeconds}s`,
  }
}
