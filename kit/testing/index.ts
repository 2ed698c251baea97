/**
 * The kit's test helpers, for the kit's own tests and the app's: signing
 * in through the real login form, a visitor that keeps its cookies, the
 * Japa API client's session plugin (`.as(token)`, `.accepting(kind)`,
 * `withSession()`...), servers in their own process, raw HTTP, temporary
 * databases, the multi-node cluster and the session inspectors.
 *
 * Loaded in the test process only (after the app has booted): some
 * helpers use the app's database service.
 */
export * from '#kit/testing/sign_in'
export { freePort } from '#kit/runtime/src/first_run/free_port'
export * from '#kit/testing/visitor'
export * from '#kit/testing/browser_session'
export * from '#kit/testing/server_session'
export * from '#kit/testing/session_api_client'
export * from '#kit/testing/app_process'
export * from '#kit/testing/server_with_routes'
export * from '#kit/testing/captured_logger'
export * from '#kit/testing/raw_http'
export * from '#kit/testing/node_request'
export * from '#kit/testing/trickled_request'
export * from '#kit/testing/slow_requests'
export * from '#kit/testing/revocation_races'
export * from '#kit/testing/sign_in_attempts'
export * from '#kit/testing/temp_database'
export * from '#kit/testing/migrations'
export * from '#kit/testing/titles'
export * from '#kit/testing/tcp_proxy'
export * from '#kit/testing/content_security_policy'
export * from '#kit/testing/make_exception'
export * from '#kit/testing/session_change'
export * from '#kit/testing/session_inspector'
export * from '#kit/testing/database_session_inspector'
export * from '#kit/testing/redis_session_inspector'
export * from '#kit/testing/multinode_services'
export * from '#kit/testing/multinode_cluster'
export * from '#kit/testing/webauthn_authenticator'
