import type {
  ResolvedSessionConfig,
  SessionFamilyStore,
  SessionPolicy,
} from '#kit/sessions/src/types'

/**
 * The app's session families: the family store of the configured session
 * driver, the policy its tokens live by, and the resolved session config.
 *
 * One instance, made from the config once by
 * "kit/sessions/provider.ts". The session middleware and the
 * controllers get it from the container (`@inject()`).
 */
export class SessionFamilies {
  constructor(
    /**
     * "config/session.ts", resolved.
     */
    readonly config: ResolvedSessionConfig,

    /**
     * The rules tokens live by ("config/session_security.ts" and the
     * session `age`). One object, read on every request: changing a field
     * changes the following requests.
     */
    readonly policy: SessionPolicy,

    /**
     * The session key holding the signed-in user id (the session guard's
     * `sessionKeyName`). Families are indexed by the user it names.
     */
    readonly userIdKey: string,

    /**
     * The family store of the configured driver; undefined for the cookie
     * store, which keeps nothing on the server.
     */
    readonly store?: SessionFamilyStore
  ) {}
}
