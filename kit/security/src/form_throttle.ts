import { createHash, createHmac } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import type { Limiter, LimiterResponse } from '@adonisjs/limiter'
import type { LimiterService } from '@adonisjs/limiter/types'
import { isErrorStatus, TooManyAttemptsException, type ThrottleScope } from '#kit/errors/exceptions'
import type { FormThrottlePolicy } from '#kit/security/src/form_throttle_policy'
import type { ThrottledAccounts } from '#kit/security/define_config'

/**
 * A form submission to throttle.
 */
export type ThrottledForm = {
  /**
   * Names the form in keys and log lines: 'sign_in', 'forgot_password',
   * 'reset_password', 'resend_verification', 'sign_up'...
   */
  action: string
  /**
   * The email the form is about (as typed: it is normalised here). Without
   * one, only the address is throttled.
   */
  account?: string
  /**
   * false (the default): only failed attempts count, and a success clears
   * the account's failures (forms that check a secret). true: every
   * attempt counts (forms that send mail).
   */
  everyAttempt?: boolean
}

/**
 * One counter of an attempt: the account from this address, or the
 * address alone, with the key of its past lockouts.
 */
type Counter = {
  scope: ThrottleScope
  key: string
  lockoutsKey: string
  limiter: Limiter
}

/**
 * The longest key the throttle hands the limiter. The database store
 * keeps keys in a varchar(255) column, after its own prefix ("rlflx:");
 * an IPv6 address may carry a zone ("fe80::1%eth0") of any length.
 */
export const MAX_LIMITER_KEY_LENGTH = 200

/**
 * A limiter key that fits the stores: as it is up to
 * MAX_LIMITER_KEY_LENGTH characters (readable in the store), otherwise
 * its start followed by the SHA-256 of the whole key (base64url), so
 * that two long keys never share a counter.
 */
export function boundedLimiterKey(key: string): string {
  if (key.length <= MAX_LIMITER_KEY_LENGTH) {
    return key
  }
  const hash = createHash('sha256').update(key).digest('base64url')
  return `${key.slice(0, MAX_LIMITER_KEY_LENGTH - hash.length - 1)}#${hash}`
}

/**
 * The account of an attempt as keys and logs see it: a keyed hash and a
 * masked address, never the address itself.
 */
type AccountFields = { email: string; emailHash: string }

/**
 * Limits guessing on the forms that check a secret or send mail, with
 * counters kept by @adonisjs/limiter (the database or Redis, see
 * "config/limiter.ts"). Each attempt counts against its account+IP and
 * its IP; when either reaches its limit, that key is locked out, for
 * twice as long as the previous time (up to `maxLockout`). While locked,
 * every attempt is refused with E_TOO_MANY_REQUESTS (429, Retry-After),
 * even one with the right password.
 *
 * Failed attempts and lockouts are logged here ("<action>.failed",
 * "<action>.locked"); refused ones by the exception handler
 * ("<action>.throttled"). Get it from the container:
 *
 *   const user = await throttle.attempt(ctx, { action: 'sign_in', account: email }, () =>
 *     User.verifyCredentials(email, password)
 *   )
 */
export class FormThrottle {
  #accounts: Limiter
  #ips: Limiter
  #lockouts: Limiter
  #policy: FormThrottlePolicy
  #secret: string
  #accountRules: ThrottledAccounts

  /**
   * `secret` keys the hash of the emails (the app key); `accounts` says
   * how the app normalises and masks an address.
   */
  constructor(
    limiter: LimiterService,
    policy: FormThrottlePolicy,
    secret: string,
    accounts: ThrottledAccounts
  ) {
    this.#policy = policy
    this.#secret = secret
    this.#accountRules = accounts
    this.#accounts = limiter.use({
      requests: policy.accountAttempts,
      duration: policy.windowSeconds,
    })
    this.#ips = limiter.use({ requests: policy.ipAttempts, duration: policy.windowSeconds })
    this.#lockouts = limiter.use({
      requests: Number.MAX_SAFE_INTEGER,
      duration: policy.rememberLockoutsSeconds,
    })
  }

  /**
   * Counts the attempt, refuses it when its account+IP or IP is locked
   * (E_TOO_MANY_REQUESTS), and otherwise runs `run`. An error of `run`
   * with a 4xx status (E_INVALID_CREDENTIALS, an invalid token) is a
   * failed attempt; any other error (a store outage) does not count.
   */
  async attempt<T>(ctx: HttpContext, form: ThrottledForm, run: () => Promise<T> | T): Promise<T> {
    const ip = ctx.request.ip()
    const account = form.account === undefined ? undefined : this.#accountFields(form.account)
    const counters = this.#counters(form.action, ip, account)

    /**
     * Counted before `run`, atomically: concurrent attempts cannot all
     * slip in before the first failure is recorded.
     */
    const counts = await Promise.all(counters.map(({ key, limiter }) => limiter.increment(key)))
    const locked = counts.findIndex((count) => count.consumed > count.limit)
    if (locked !== -1) {
      throw new TooManyAttemptsException(counts[locked], {
        action: form.action,
        scope: counters[locked].scope,
        ...account,
      })
    }

    let result: T
    try {
      result = await run()
    } catch (error) {
      if (!isFailedAttempt(error)) {
        await this.#uncount(counters)
        throw error
      }
      ctx.logger.warn(
        {
          event: `${form.action}.failed`,
          action: form.action,
          ...account,
          ip,
          failures: counts[0].consumed,
        },
        'failed attempt'
      )
      await this.#lockWhenReached(ctx, form.action, counters, counts, account)
      throw error
    }

    if (form.everyAttempt) {
      await this.#lockWhenReached(ctx, form.action, counters, counts, account)
    } else {
      await this.#forgetFailures(counters)
    }
    return result
  }

  /**
   * The counters of an attempt: account+IP (when there is an account),
   * then IP.
   */
  #counters(action: string, ip: string, account?: AccountFields): Counter[] {
    const counter = (scope: ThrottleScope, key: string, limiter: Limiter): Counter => ({
      scope,
      key: boundedLimiterKey(key),
      lockoutsKey: boundedLimiterKey(`${key}:lockouts`),
      limiter,
    })
    const counters: Counter[] = []
    if (account) {
      counters.push(
        counter('account', `${action}:account:${account.emailHash}:${ip}`, this.#accounts)
      )
    }
    counters.push(counter('ip', `${action}:ip:${ip}`, this.#ips))
    return counters
  }

  /**
   * Locks the counters this attempt brought to their limit (only the one
   * attempt that reached it does), each for twice as long as its previous
   * lockout, and logs "<action>.locked".
   */
  async #lockWhenReached(
    ctx: HttpContext,
    action: string,
    counters: Counter[],
    counts: LimiterResponse[],
    account?: AccountFields
  ) {
    for (const [index, counter] of counters.entries()) {
      if (counts[index].consumed !== counts[index].limit) {
        continue
      }
      const { consumed: lockouts } = await this.#lockouts.increment(counter.lockoutsKey)
      const lockoutSeconds = Math.min(
        this.#policy.lockoutSeconds * 2 ** Math.min(lockouts - 1, 30),
        this.#policy.maxLockoutSeconds
      )
      await counter.limiter.block(counter.key, lockoutSeconds)
      ctx.logger.warn(
        {
          event: `${action}.locked`,
          action,
          scope: counter.scope,
          ...account,
          ip: ctx.request.ip(),
          lockoutSeconds,
          lockouts,
        },
        'locked out after too many failed attempts'
      )
    }
  }

  /**
   * After a success: the account's failures and lockouts are forgotten,
   * and the attempt no longer counts against the address.
   */
  async #forgetFailures(counters: Counter[]) {
    for (const counter of counters) {
      if (counter.scope === 'account') {
        await counter.limiter.delete(counter.key)
        await this.#lockouts.delete(counter.lockoutsKey)
      } else {
        await counter.limiter.decrement(counter.key)
      }
    }
  }

  /**
   * Takes back an attempt that neither failed nor succeeded (its store
   * was down, say). Best effort: the error that ended the attempt is
   * what the client must get, not this one's.
   */
  async #uncount(counters: Counter[]) {
    try {
      await Promise.all(counters.map(({ key, limiter }) => limiter.decrement(key)))
    } catch {}
  }

  /**
   * The masked email and its hash, keyed with the app key so that a log
   * or a key in the store does not confirm an address without it.
   */
  #accountFields(email: string): AccountFields {
    const normalized = this.#accountRules.normalize(email)
    return {
      email: this.#accountRules.mask(normalized),
      emailHash: createHmac('sha256', this.#secret).update(normalized).digest('hex').slice(0, 16),
    }
  }
}

/**
 * True for the errors of a failed attempt: 4xx statuses (a wrong
 * password, an invalid token), not a store outage or a bug.
 */
function isFailedAttempt(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status
  return isErrorStatus(status) && status < 500
}
