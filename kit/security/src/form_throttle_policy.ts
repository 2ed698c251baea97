import string from '@adonisjs/core/helpers/string'

/**
 * The settings of `formThrottle` in "config/limiter.ts".
 */
export type FormThrottleConfig = {
  /**
   * Failed attempts per account and address before a lockout.
   */
  accountAttempts: number
  /**
   * Failed attempts per address, whatever the account, before a lockout.
   */
  ipAttempts: number
  /**
   * How long failures are counted, from the first one ('15m').
   */
  window: string
  /**
   * The first lockout ('1m'); each next one lasts twice as long.
   */
  lockout: string
  /**
   * The longest lockout ('1h').
   */
  maxLockout: string
  /**
   * How long past lockouts count towards the next one's length ('24h').
   */
  rememberLockouts: string
}

/**
 * The resolved settings: whole seconds, as the limiter takes them.
 */
export type FormThrottlePolicy = {
  accountAttempts: number
  ipAttempts: number
  windowSeconds: number
  lockoutSeconds: number
  maxLockoutSeconds: number
  rememberLockoutsSeconds: number
}

/**
 * Validates and resolves the form throttle settings. Mistakes stop the
 * boot with a message saying what to fix.
 */
export function defineFormThrottle(config: FormThrottleConfig): FormThrottlePolicy {
  for (const name of ['accountAttempts', 'ipAttempts'] as const) {
    if (!Number.isInteger(config[name]) || config[name] < 1) {
      throw new Error(`formThrottle ${name} is ${config[name]}; it must be a whole number above 0`)
    }
  }

  const policy = {
    accountAttempts: config.accountAttempts,
    ipAttempts: config.ipAttempts,
    windowSeconds: wholeSeconds('window', config.window),
    lockoutSeconds: wholeSeconds('lockout', config.lockout),
    maxLockoutSeconds: wholeSeconds('maxLockout', config.maxLockout),
    rememberLockoutsSeconds: wholeSeconds('rememberLockouts', config.rememberLockouts),
  }
  if (policy.maxLockoutSeconds < policy.lockoutSeconds) {
    throw new Error(
      `formThrottle maxLockout "${config.maxLockout}" is shorter than lockout "${config.lockout}"`
    )
  }
  return policy
}

/**
 * A duration ('30s', '15m') in whole seconds, at least one.
 */
function wholeSeconds(name: string, value: string): number {
  let milliseconds: number
  try {
    milliseconds = string.milliseconds.parse(value)
  } catch {
    milliseconds = Number.NaN
  }
  if (!Number.isFinite(milliseconds) || milliseconds < 1000 || milliseconds % 1000 !== 0) {
    throw new Error(
      `formThrottle ${name} "${value}" must be a whole number of seconds, at least 1 (examples: "1s", "15m")`
    )
  }
  return milliseconds / 1000
}
