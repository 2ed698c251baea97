/*
|--------------------------------------------------------------------------
| The Lua scripts of the Redis family store
|--------------------------------------------------------------------------
|
| Redis runs a script as one command: nothing else happens in between, on
| any connection, from any app instance. Every operation of
| `RedisFamilyStore` is one script, so a rotation, a theft revocation or a
| sign-out everywhere is atomic across instances.
|
| Keys, under the store's prefix (SESSION_REDIS_PREFIX, "sess:" by default):
|
|   token:<token id>           hash: family_id, created_at,
|                              successor_id and rotated_at once rotated
|   family:<family id>         hash: user_id ('' when signed out), data
|                              (JSON), created_at, last_used_at,
|                              expires_at (idle deadline), ends_at
|                              (absolute deadline), user_agent
|   family:<family id>:tokens  set: the ids of every token of the family
|   family:<family id>:revoked string: 'theft', in place of the family
|                              hash once the family is revoked for theft
|   user:<user id>             set: the ids of the user's families
|
| A token id is the SHA-256 of the token; times are milliseconds since the
| epoch. Every key expires (Redis TTL) when its family does: at the idle
| deadline, pushed back on each use, and at the latest at the absolute
| deadline. A rotated token keeps the deadline it had when it was
| rotated, like a rotated row of the SQL table.
|
| A family revoked for theft loses its hash (data, user, user agent) and
| its place in the user's index; its token keys and token set stay, and
| the "revoked" marker takes the hash's place with the hash's remaining
| TTL. Until then every token of the family resolves to theft again, like
| the emptied rows of the SQL table; the marker holds no token and no data.
|
| Every script receives the prefix as ARGV[1] and builds its key names
| from it. That needs a single Redis server (or a primary with replicas);
| Redis Cluster would need every key declared up front.
|
*/

/**
 * Key names and the helpers every script shares.
 */
const HELPERS = `
local prefix = ARGV[1]

local function token_key(token_id) return prefix .. 'token:' .. token_id end
local function family_key(family_id) return prefix .. 'family:' .. family_id end
local function family_tokens_key(family_id) return prefix .. 'family:' .. family_id .. ':tokens' end
local function revoked_key(family_id) return prefix .. 'family:' .. family_id .. ':revoked' end
local function user_key(user_id) return prefix .. 'user:' .. user_id end

-- A hash as a table of fields, or nil when the key does not exist.
local function read_hash(key)
  local fields = redis.call('HGETALL', key)
  if #fields == 0 then
    return nil
  end
  local hash = {}
  for i = 1, #fields, 2 do
    hash[fields[i]] = fields[i + 1]
  end
  return hash
end

-- When the family's keys expire: its idle deadline, or its absolute one if sooner.
local function deadline(family)
  return math.min(tonumber(family.expires_at), tonumber(family.ends_at))
end

local function is_expired(family, now, absolute_lifetime)
  return now >= tonumber(family.expires_at)
    or now - tonumber(family.created_at) >= absolute_lifetime
end

-- Adds a family to the index of its user. The index lives as long as the
-- longest-lived family in it.
local function index_family(user_id, family_id, ends_at, now)
  if user_id == '' then
    return
  end
  local key = user_key(user_id)
  redis.call('SADD', key, family_id)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 or now + ttl < ends_at then
    redis.call('PEXPIREAT', key, ends_at)
  end
end

-- Deletes every key of a family, the theft marker included. Returns the
-- number of its tokens.
local function destroy_family(family_id)
  local token_ids = redis.call('SMEMBERS', family_tokens_key(family_id))
  for _, token_id in ipairs(token_ids) do
    redis.call('DEL', token_key(token_id))
  end
  local user_id = redis.call('HGET', family_key(family_id), 'user_id')
  if user_id and user_id ~= '' then
    redis.call('SREM', user_key(user_id), family_id)
  end
  redis.call('DEL', family_key(family_id), family_tokens_key(family_id), revoked_key(family_id))
  return #token_ids
end

-- Revokes a family after theft. Its hash (data, user, user agent) and its
-- place in the user's index go, so it is no longer an active session; its
-- token keys stay, and the theft marker replaces the hash until the hash
-- would have expired (every family hash has a TTL, at most the absolute
-- deadline). Until then, every token of the family resolves to theft.
local function revoke_for_theft(family_id, family)
  local ttl = redis.call('PTTL', family_key(family_id))
  if family.user_id and family.user_id ~= '' then
    redis.call('SREM', user_key(family.user_id), family_id)
  end
  redis.call('DEL', family_key(family_id))
  if ttl > 0 then
    redis.call('SET', revoked_key(family_id), 'theft', 'PX', ttl)
  end
end

-- Makes successor_id the current token of the family.
local function rotate(token_id, successor_id, family_id, family, now)
  local successor_key = token_key(successor_id)
  redis.call('HSET', successor_key, 'family_id', family_id, 'created_at', now)
  redis.call('PEXPIREAT', successor_key, deadline(family))
  redis.call('HSET', token_key(token_id), 'successor_id', successor_id, 'rotated_at', now)
  redis.call('SADD', family_tokens_key(family_id), successor_id)
  redis.call('HSET', family_key(family_id), 'last_used_at', now)
end

-- The current token of a family, found from one of its tokens by
-- following its successors. Returns its id, its hash and the number of
-- successors followed, or nil when the token is unknown (or a token of
-- the chain expired).
local function newest(token_id)
  local token = read_hash(token_key(token_id))
  local hops = 0
  while token and token.successor_id do
    token_id = token.successor_id
    token = read_hash(token_key(token_id))
    hops = hops + 1
  end
  if not token then
    return nil
  end
  return token_id, token, hops
end

-- Marks a family used now, with a new idle deadline, through its current
-- token (token_id, or its newest successor). Returns the family id, the
-- family and the number of successors followed, or nil when the family
-- has ended (signed out, revoked, expired).
local function use(token_id, now, expires_at)
  local current_id, token, hops = newest(token_id)
  if not current_id then
    return nil
  end
  local family_id = token.family_id
  local family = read_hash(family_key(family_id))
  if not family then
    return nil
  end
  family.expires_at = expires_at
  redis.call('HSET', family_key(family_id), 'last_used_at', now, 'expires_at', expires_at)
  local expire_at = deadline(family)
  redis.call('PEXPIREAT', token_key(current_id), expire_at)
  redis.call('PEXPIREAT', family_key(family_id), expire_at)
  redis.call('PEXPIREAT', family_tokens_key(family_id), expire_at)
  return family_id, family, hops
end
`

/**
 * Looks a token up, and atomically: says whether it is due for rotation,
 * lets its immediate predecessor through within the grace window, and
 * revokes the family when an older or late token is reused. A rotated
 * token is judged by when its request arrived: it is usable if it was
 * current then, or within the grace window of its rotation while its
 * successor was current. An ended family is expired, whatever the token.
 * Any token of a family revoked for theft is theft again (without a user
 * id, like the emptied rows of the SQL table). With theft detection off,
 * those tokens are 'stale' instead, and nothing is revoked.
 *
 * ARGV: prefix, token id, now, rotation interval, grace window, absolute
 * lifetime, theft detection ('1' on, '0' off), arrived at (when the
 * request arrived).
 * Returns { kind, family id, user id, data, 'rotated' | 'current', last
 * used at, 'due' | '' }, where 'rotated' means the successor is the token
 * to use; for theft, { 'theft', family id, user id, 'revoked now' |
 * 'already revoked' }; { 'moved' } for a usable token whose successor was
 * rotated too since the request arrived: the caller resolves that
 * successor next, with the same arrival time.
 */
const RESOLVE = `
local token_id, now = ARGV[2], tonumber(ARGV[3])
local rotation_interval, grace_window, absolute_lifetime = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local theft_detection = ARGV[7] == '1'
local arrived_at = tonumber(ARGV[8])

local token = read_hash(token_key(token_id))
if not token then
  return { 'unknown' }
end
local family_id = token.family_id
local family = read_hash(family_key(family_id))
if not family then
  if redis.call('EXISTS', revoked_key(family_id)) == 1 then
    return { theft_detection and 'theft' or 'stale', family_id, '', 'already revoked' }
  end
  return { 'unknown' }
end

if is_expired(family, now, absolute_lifetime) then
  destroy_family(family_id)
  return { 'expired', family_id, family.user_id }
end

local function active(current, which)
  local due = now - tonumber(current.created_at) >= rotation_interval and 'due' or ''
  return { 'active', family_id, family.user_id, family.data, which, family.last_used_at, due }
end

if token.successor_id then
  local successor = read_hash(token_key(token.successor_id))
  if successor
    and arrived_at - tonumber(token.rotated_at) <= grace_window
    and not (successor.successor_id and tonumber(successor.rotated_at) < arrived_at)
  then
    if successor.successor_id then
      return { 'moved' }
    end
    return active(successor, 'rotated')
  end
  if not theft_detection then
    return { 'stale', family_id, family.user_id }
  end
  revoke_for_theft(family_id, family)
  return { 'theft', family_id, family.user_id, 'revoked now' }
end

return active(token, 'current')
`

/**
 * The data of a current token, or nil.
 *
 * ARGV: prefix, token id.
 */
const PEEK = `
local token = read_hash(token_key(ARGV[2]))
if not token or token.successor_id then
  return false
end
return redis.call('HGET', family_key(token.family_id), 'data')
`

/**
 * Starts a family whose current token is the given one.
 *
 * ARGV: prefix, token id, family id, user id ('' when none), data,
 * user agent, now, idle deadline, absolute deadline.
 */
const CREATE = `
local token_id, family_id, user_id = ARGV[2], ARGV[3], ARGV[4]
local now, expires_at, ends_at = ARGV[7], ARGV[8], ARGV[9]

redis.call('HSET', family_key(family_id),
  'user_id', user_id, 'data', ARGV[5], 'user_agent', ARGV[6],
  'created_at', now, 'last_used_at', now, 'expires_at', expires_at, 'ends_at', ends_at)
redis.call('HSET', token_key(token_id), 'family_id', family_id, 'created_at', now)
redis.call('SADD', family_tokens_key(family_id), token_id)

local expire_at = math.min(tonumber(expires_at), tonumber(ends_at))
redis.call('PEXPIREAT', family_key(family_id), expire_at)
redis.call('PEXPIREAT', token_key(token_id), expire_at)
redis.call('PEXPIREAT', family_tokens_key(family_id), expire_at)
index_family(user_id, family_id, tonumber(ends_at), tonumber(now))
return 1
`

/**
 * Saves a request's data and user to the family of a token, through its
 * current token, unless another request stored other data since the
 * request read `base`.
 *
 * ARGV: prefix, token id, now, idle deadline, user id ('' when none),
 * data, base (the data as the request read it).
 * Returns { 'written', successors followed }; { 'changed', successors
 * followed, the stored data } when the data is no longer `base` (nothing
 * written: the caller merges and writes again); { 'ended' } when the
 * family has ended.
 */
const WRITE = `
local user_id = ARGV[5]
local current_id, token, hops = newest(ARGV[2])
if not current_id then
  return { 'ended' }
end
local stored = redis.call('HGET', family_key(token.family_id), 'data')
if not stored then
  return { 'ended' }
end
if stored ~= ARGV[7] then
  return { 'changed', hops, stored }
end

local family_id, family = use(current_id, ARGV[3], ARGV[4])
redis.call('HSET', family_key(family_id), 'data', ARGV[6], 'user_id', user_id)
if user_id ~= family.user_id then
  if family.user_id ~= '' then
    redis.call('SREM', user_key(family.user_id), family_id)
  end
  index_family(user_id, family_id, tonumber(family.ends_at), tonumber(ARGV[3]))
end
return { 'written', hops }
`

/**
 * Marks a family used now, through its current token.
 *
 * ARGV: prefix, token id, now, idle deadline. Returns the number of
 * successors followed, or -1 when the family has ended.
 */
const TOUCH = `
local family_id, family, hops = use(ARGV[2], ARGV[3], ARGV[4])
return family_id and hops or -1
`

/**
 * Rotates a family's current token now, and marks the family used.
 *
 * ARGV: prefix, token id, successor id, now, idle deadline, rotation
 * interval (-1: rotate whatever the token's age). Returns 'rotated';
 * 'kept' when the token is not due for rotation (nothing changed);
 * 'ended' when the family has ended; { 'moved', successors followed }
 * when the token is no longer current (nothing rotated: the caller
 * rotates the current token instead).
 */
const ROTATE = `
local current_id, token, hops = newest(ARGV[2])
if not current_id then
  return 'ended'
end
if hops > 0 then
  return { 'moved', hops }
end
local family = read_hash(family_key(token.family_id))
if not family then
  return 'ended'
end
local interval = tonumber(ARGV[6])
if interval >= 0 and tonumber(ARGV[4]) - tonumber(token.created_at) < interval then
  return 'kept'
end
rotate(ARGV[2], ARGV[3], token.family_id, family, ARGV[4])
use(ARGV[3], ARGV[4], ARGV[5])
return 'rotated'
`

/**
 * Deletes the family of a token (sign-out), or what is left of it after a
 * theft. Returns the number of tokens deleted.
 *
 * ARGV: prefix, token id.
 */
const DESTROY_FAMILY_OF = `
local family_id = redis.call('HGET', token_key(ARGV[2]), 'family_id')
if not family_id then
  return 0
end
return destroy_family(family_id)
`

/**
 * Deletes one family of a user. Returns the number of tokens deleted. A
 * family revoked for theft belongs to no user any more: it is left alone.
 *
 * ARGV: prefix, user id, family id.
 */
const DESTROY_FAMILY = `
if redis.call('HGET', family_key(ARGV[3]), 'user_id') ~= ARGV[2] then
  return 0
end
return destroy_family(ARGV[3])
`

/**
 * Deletes every family of a user. Returns the number of tokens deleted.
 * Families revoked for theft left the user's index when they were: their
 * markers stay, to answer theft until they expire.
 *
 * ARGV: prefix, user id.
 */
const DESTROY_USER = `
local user_id = ARGV[2]
local deleted = 0
for _, family_id in ipairs(redis.call('SMEMBERS', user_key(user_id))) do
  if redis.call('HGET', family_key(family_id), 'user_id') == user_id then
    deleted = deleted + destroy_family(family_id)
  end
end
redis.call('DEL', user_key(user_id))
return deleted
`

/**
 * The active families of a user, as a flat list: family id, created at,
 * last used at, user agent, then the next family. Families that no longer
 * exist (expired, or revoked for theft) are dropped from the user's index.
 *
 * ARGV: prefix, user id, now.
 */
const LIST_USER = `
local user_id, now = ARGV[2], tonumber(ARGV[3])
local sessions = {}
for _, family_id in ipairs(redis.call('SMEMBERS', user_key(user_id))) do
  local family = read_hash(family_key(family_id))
  if not family or family.user_id ~= user_id then
    redis.call('SREM', user_key(user_id), family_id)
  elseif tonumber(family.expires_at) > now then
    table.insert(sessions, family_id)
    table.insert(sessions, family.created_at)
    table.insert(sessions, family.last_used_at)
    table.insert(sessions, family.user_agent)
    table.insert(sessions, family.data or '')
  end
end
return sessions
`

/**
 * The scripts, by the name of the command they are defined as on the
 * Redis connection.
 */
export const REDIS_FAMILY_SCRIPTS = {
  sessionFamilyResolve: HELPERS + RESOLVE,
  sessionFamilyPeek: HELPERS + PEEK,
  sessionFamilyCreate: HELPERS + CREATE,
  sessionFamilyWrite: HELPERS + WRITE,
  sessionFamilyTouch: HELPERS + TOUCH,
  sessionFamilyRotate: HELPERS + ROTATE,
  sessionFamilyDestroyFamilyOf: HELPERS + DESTROY_FAMILY_OF,
  sessionFamilyDestroyFamily: HELPERS + DESTROY_FAMILY,
  sessionFamilyDestroyUser: HELPERS + DESTROY_USER,
  sessionFamilyListUser: HELPERS + LIST_USER,
}

/**
 * The name of one script.
 */
export type RedisFamilyScript = keyof typeof REDIS_FAMILY_SCRIPTS
