import { BlockList, isIP } from 'node:net'
import type { HttpRequest } from '@adonisjs/core/http'

/**
 * Which proxies in front of the app are trusted to say who the client is
 * (TRUST_PROXY):
 *
 * - `none`: no proxy; the client is the address of the connection and
 *   X-Forwarded-For is ignored;
 * - `hops`: that many proxies, whatever their addresses, stand in front of
 *   the app (a load balancer, then a CDN...);
 * - `ranges`: the proxies are the peers with these addresses (IPs, CIDR
 *   ranges, or the names `loopback`, `linklocal`, `uniquelocal`).
 */
export type TrustProxySetting =
  { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'ranges'; ranges: string[] }

/**
 * The ranges behind the names proxy-addr (the framework's proxy library)
 * gives them, so the setting reads the same as its documentation.
 */
const NAMED_RANGES = new Map([
  ['loopback', ['127.0.0.0/8', '::1/128']],
  ['linklocal', ['169.254.0.0/16', 'fe80::/10']],
  ['uniquelocal', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']],
])

/**
 * What a valid TRUST_PROXY looks like, for the boot error.
 */
const TRUST_PROXY_HELP =
  'use "none", a number of proxies (1, 2...), or a comma-separated list of proxy ' +
  'addresses: IPs, CIDR ranges (10.0.0.0/8) and the names loopback, linklocal, uniquelocal'

/**
 * Env validator for TRUST_PROXY. Unset or empty means `none`. A value it
 * cannot read stops the boot with a message saying what it accepts,
 * rather than trusting more (or fewer) proxies than meant. "true" (trust
 * every proxy) is refused: the client could then name any address.
 */
export function trustProxy(key: string, value?: string): TrustProxySetting {
  const text = (value ?? '').trim().toLowerCase()
  if (text === '' || text === 'none' || text === 'false' || text === '0') {
    return { kind: 'none' }
  }
  if (/^\d+$/.test(text)) {
    return { kind: 'hops', hops: Number(text) }
  }

  const ranges = text.split(',').map((entry) => entry.trim())
  for (const range of ranges) {
    if (!NAMED_RANGES.has(range) && !parseRange(range)) {
      throw new Error(`"${key}" cannot trust "${range}": ${TRUST_PROXY_HELP}`)
    }
  }
  return { kind: 'ranges', ranges }
}

/**
 * An IP address or a CIDR range as an address, family and prefix length;
 * undefined when it is neither (or a /0, which would trust everyone).
 */
function parseRange(range: string) {
  const [address, prefixText, ...rest] = range.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length || address.includes('%')) {
    return undefined
  }
  const bits = family === 4 ? 32 : 128
  if (prefixText === undefined) {
    return { address, family, prefix: bits }
  }
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN
  if (!(prefix >= 1 && prefix <= bits)) {
    return undefined
  }
  return { address, family, prefix }
}

/**
 * The `trustProxy` and `getIp` of the HTTP server config ("config/app.ts")
 * for a TRUST_PROXY setting.
 *
 * `trustProxy(address, distance)` tells the framework (proxy-addr)
 * whether the peer at that distance (0: the connection) is a trusted
 * proxy: it decides `request.ips()`, and the X-Forwarded-Host and
 * X-Forwarded-Proto that `request.host()` and `request.protocol()` use.
 *
 * `getIp(request)` is `request.ip()`: the address the nearest untrusted
 * peer connected from, always an IP address. Walking X-Forwarded-For from
 * the connection, it stops at the first entry that is not an IP address
 * ("unknown", a host name, 300 characters of anything): that entry and
 * everything past it are not used, so `request.ip()` is the last trusted
 * proxy then. Logs and limiter keys never get such a value.
 */
export function trustedProxies(setting: TrustProxySetting) {
  const socketAddress = (request: HttpRequest) => request.request.socket.remoteAddress!

  if (setting.kind === 'none') {
    return {
      trustProxy: (_address: string, _distance: number) => false,
      getIp: socketAddress,
    }
  }

  const trustProxyFn =
    setting.kind === 'hops'
      ? (_address: string, distance: number) => distance < setting.hops
      : trustRanges(setting.ranges)

  return {
    trustProxy: trustProxyFn,
    getIp(request: HttpRequest): string {
      const chain = request.ips()
      let ip = chain[0]
      for (let index = 1; index < chain.length && isIP(chain[index]) !== 0; index++) {
        ip = chain[index]
      }
      return ip
    },
  }
}

/**
 * A trust function for the peers in `ranges` (validated by `trustProxy`),
 * with Node's BlockList: IPv4-mapped IPv6 addresses (::ffff:127.0.0.1)
 * match their IPv4 range.
 */
function trustRanges(ranges: string[]) {
  const list = new BlockList()
  for (const range of ranges.flatMap((entry) => NAMED_RANGES.get(entry) ?? [entry])) {
    const { address, family, prefix } = parseRange(range)!
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6')
  }
  return (address: string, _distance: number) => {
    const family = isIP(address)
    return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6')
  }
}
