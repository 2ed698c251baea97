import env from '#start/env'
import { RecentAuthClaim, parseDuration } from '#kit/sessions'
import { safeRedirectPath } from '#kit/security'

/**
 * Whether the session proved who is using it (the password at sign-in or
 * on the confirm page, a code at the challenge or there) within the last
 * SESSION_RECENT_AUTH_WINDOW (10 minutes unless set). Required by the
 * account changes (docs/mfa.md, "Step-up"): a browser without it goes to
 * the confirm page and back.
 */
class AppRecentAuthClaim extends RecentAuthClaim {
  /**
   * Where a browser that fails this claim goes (`onInvalidClaim` in
   * app/exceptions/handler.ts).
   */
  readonly confirmPath = '/confirm'

  /**
   * The confirm page, coming back to `next` (a same-site path) after.
   */
  confirmUrl(next: string) {
    const back = safeRedirectPath(next, '')
    return back ? `${this.confirmPath}?next=${encodeURIComponent(back)}` : this.confirmPath
  }
}

export const recentAuth = new AppRecentAuthClaim(
  parseDuration('recent-auth window', env.get('SESSION_RECENT_AUTH_WINDOW', '10m'))
)
