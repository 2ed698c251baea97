/**
 * What a client asks for: JSON (an API client) or HTML (a browser).
 */
export type Accept = 'json' | 'html'

/**
 * The Accept header each kind of client sends.
 */
export const ACCEPT_HEADERS: Record<Accept, string> = {
  json: 'application/json',
  html: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
}

/**
 * One route the bench measures.
 */
export type Scenario = {
  number: number
  title: string
  path: string
  accept: Accept
  expectedStatus: number
  /**
   * Sent with a signed-in session of the demo user (a non-admin), one
   * session per connection.
   */
  signedIn?: boolean
  /**
   * Signed in as a user with an authenticator app, who passed the
   * challenge (the session has the `mfa` claim): one such user per
   * connection.
   */
  secondFactor?: boolean
  /**
   * Measured on a server that rotates the session token on every request
   * (the connection adopts each new token, as a browser would).
   */
  rotateEveryRequest?: boolean
  /**
   * Measured on a server whose sessions live in Redis (SESSION_DRIVER=redis
   * at 127.0.0.1:6379, or REDIS_HOST/REDIS_PORT); skipped when Redis
   * cannot be reached.
   */
  redis?: boolean
  /**
   * The share of route 1's requests/s this route should reach.
   */
  target?: number
}

/**
 * The routes of the bench, route 1 being the baseline.
 */
export const SCENARIOS: Scenario[] = [
  {
    number: 1,
    title: 'happy JSON (GET /health)',
    path: '/health',
    accept: 'json',
    expectedStatus: 200,
  },
  {
    number: 2,
    title: 'happy HTML page, Edge (GET /)',
    path: '/',
    accept: 'html',
    expectedStatus: 200,
  },
  {
    number: 3,
    title: '401 JSON (GET /api/me, signed out)',
    path: '/api/me',
    accept: 'json',
    expectedStatus: 401,
    target: 0.9,
  },
  {
    number: 4,
    title: '401 HTML, redirect to login (GET /dashboard)',
    path: '/dashboard',
    accept: 'html',
    expectedStatus: 303,
    target: 0.9,
  },
  {
    number: 5,
    title: '403 invalid claim JSON (GET /admin, non-admin)',
    path: '/admin',
    accept: 'json',
    expectedStatus: 403,
    signedIn: true,
    target: 0.6,
  },
  {
    number: 6,
    title: '404 status page HTML',
    path: '/no-such-page',
    accept: 'html',
    expectedStatus: 404,
    target: 0.9,
  },
  {
    number: 7,
    title: '404 JSON',
    path: '/no-such-page',
    accept: 'json',
    expectedStatus: 404,
    target: 0.9,
  },
  {
    number: 8,
    title: '500 status page HTML, reported',
    path: '/__bench__/boom',
    accept: 'html',
    expectedStatus: 500,
    target: 0.75,
  },
  {
    number: 9,
    title: 'signed in (GET /api/me), no rotation',
    path: '/api/me',
    accept: 'json',
    expectedStatus: 200,
    signedIn: true,
    target: 0.65,
  },
  {
    number: 10,
    title: 'signed in, rotation on every request',
    path: '/api/me',
    accept: 'json',
    expectedStatus: 200,
    signedIn: true,
    rotateEveryRequest: true,
    target: 0.35,
  },
  {
    number: 11,
    title: 'signed in (GET /api/me), no rotation, Redis sessions',
    path: '/api/me',
    accept: 'json',
    expectedStatus: 200,
    signedIn: true,
    redis: true,
    target: 0.65,
  },
  {
    number: 12,
    title: 'signed in, rotation on every request, Redis sessions',
    path: '/api/me',
    accept: 'json',
    expectedStatus: 200,
    signedIn: true,
    rotateEveryRequest: true,
    redis: true,
    target: 0.35,
  },
  {
    number: 13,
    title: 'signed in with a second factor (GET /api/me), no rotation',
    path: '/api/me',
    accept: 'json',
    expectedStatus: 200,
    signedIn: true,
    secondFactor: true,
    target: 0.65,
  },
]
