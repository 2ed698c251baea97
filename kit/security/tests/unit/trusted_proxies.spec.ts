import { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
import { test } from '@japa/runner'
import { RequestFactory } from '@adonisjs/core/factories/http'
import { trustProxy, trustedProxies } from '#kit/security/src/trusted_proxies'

/**
 * `request.ip()` of a request from `peer` with this X-Forwarded-For, under
 * the TRUST_PROXY `setting`, through the framework's HttpRequest.
 */
function ipOf(setting: string, peer: string, forwardedFor?: string) {
  const socket = new Socket()
  Object.defineProperty(socket, 'remoteAddress', { value: peer })
  const req = new IncomingMessage(socket)
  if (forwardedFor !== undefined) {
    req.headers['x-forwarded-for'] = forwardedFor
  }
  const config = trustedProxies(trustProxy('TRUST_PROXY', setting))
  return new RequestFactory().merge({ req, config }).create().ip()
}

test.group('Trusted proxies | TRUST_PROXY', () => {
  test('{$self} trusts no proxy')
    .with([undefined, '', 'none', 'None', 'false', '0'])
    .run(({ assert }, value) => {
      assert.deepEqual(trustProxy('TRUST_PROXY', value), { kind: 'none' })
    })

  test('a number of proxies: {$self}')
    .with(['1', '2', '10'])
    .run(({ assert }, value) => {
      assert.deepEqual(trustProxy('TRUST_PROXY', value), { kind: 'hops', hops: Number(value) })
    })

  test('a list of addresses, ranges and names: {$self}')
    .with([
      'loopback',
      '10.0.0.0/8',
      '10.1.2.3',
      '172.18.0.0/16, loopback',
      'fd00::/8,uniquelocal,linklocal',
      '::1',
      '2001:db8::/32',
    ])
    .run(({ assert }, value) => {
      assert.deepEqual(trustProxy('TRUST_PROXY', value), {
        kind: 'ranges',
        ranges: value.split(',').map((entry) => entry.trim()),
      })
    })

  test('{$self} stops the boot, saying what TRUST_PROXY accepts')
    .with([
      'true',
      'yes',
      'nginx',
      '10.0.0.0/33',
      '10.0.0.0/0',
      '::/0',
      '10.0.0.0/x',
      '300.1.1.1',
      '-1',
      '1.5',
      '10.0.0.0/8,',
      '10.0.0.0/8/8',
      'fe80::1%eth0',
      'constructor',
    ])
    .run(({ assert }, value) => {
      assert.throws(
        () => trustProxy('TRUST_PROXY', value),
        /"TRUST_PROXY" cannot trust ".*": use "none", a number of proxies \(1, 2\.\.\.\), or a comma-separated list/
      )
    })
})

test.group('Trusted proxies | request.ip()', () => {
  test('none: the connection, whatever X-Forwarded-For says', ({ assert }) => {
    assert.equal(ipOf('none', '127.0.0.1', '203.0.113.9'), '127.0.0.1')
    assert.equal(ipOf('none', '10.0.0.5', '203.0.113.9, 10.0.0.1'), '10.0.0.5')
    assert.equal(ipOf('none', '127.0.0.1'), '127.0.0.1')
  })

  test('loopback: the address a local proxy forwards, not what the client wrote before it', ({
    assert,
  }) => {
    assert.equal(ipOf('loopback', '127.0.0.1', '203.0.113.9'), '203.0.113.9')
    assert.equal(ipOf('loopback', '::1', '2001:db8::7'), '2001:db8::7')
    assert.equal(ipOf('loopback', '::ffff:127.0.0.1', '203.0.113.9'), '203.0.113.9')
    assert.equal(ipOf('loopback', '127.0.0.1', '198.51.100.1, 203.0.113.9'), '203.0.113.9')
    assert.equal(ipOf('loopback', '127.0.0.1'), '127.0.0.1')
  })

  test('loopback: a peer that is not a trusted proxy is the client itself', ({ assert }) => {
    assert.equal(ipOf('loopback', '192.0.2.4', '203.0.113.9'), '192.0.2.4')
  })

  test('a list of ranges: every trusted proxy in the chain is skipped', ({ assert }) => {
    assert.equal(
      ipOf('10.0.0.0/8, 172.16.0.0/12', '10.0.0.2', '203.0.113.9, 172.16.5.5, 10.9.9.9'),
      '203.0.113.9'
    )
    assert.equal(ipOf('10.0.0.0/8', '10.0.0.2', '198.51.100.1, 203.0.113.9'), '203.0.113.9')
    assert.equal(ipOf('10.0.0.2', '10.0.0.3', '203.0.113.9'), '10.0.0.3')
  })

  test('a number of proxies: the address that many hops in', ({ assert }) => {
    assert.equal(ipOf('1', '192.0.2.4', '198.51.100.1, 203.0.113.9'), '203.0.113.9')
    assert.equal(ipOf('2', '192.0.2.4', '198.51.100.1, 203.0.113.9'), '198.51.100.1')
    assert.equal(ipOf('3', '192.0.2.4', '198.51.100.1, 203.0.113.9'), '198.51.100.1')
  })

  test('a forwarded value that is not an IP address is never the IP ({setting}): {name}')
    .with([
      { setting: 'loopback', name: 'unknown', forwardedFor: 'unknown', ip: '127.0.0.1' },
      {
        setting: 'loopback',
        name: '300 characters',
        forwardedFor: 'x'.repeat(300),
        ip: '127.0.0.1',
      },
      {
        setting: 'loopback',
        name: 'with a port',
        forwardedFor: '203.0.113.9:443',
        ip: '127.0.0.1',
      },
      { setting: 'loopback', name: 'in brackets', forwardedFor: '[2001:db8::7]', ip: '127.0.0.1' },
      { setting: 'loopback', name: 'markup', forwardedFor: '<script>', ip: '127.0.0.1' },
      { setting: '1', name: 'a host name', forwardedFor: 'evil.example', ip: '127.0.0.1' },
      { setting: '2', name: 'past a hop', forwardedFor: '203.0.113.9, bad', ip: '127.0.0.1' },
      {
        setting: '3',
        name: 'the hop before it',
        forwardedFor: '203.0.113.9, garbage, 198.51.100.1',
        ip: '198.51.100.1',
      },
      {
        setting: '10.0.0.0/8',
        name: 'the trusted proxy that sent it',
        forwardedFor: '203.0.113.9, junk, 10.0.0.9',
        ip: '10.0.0.9',
      },
    ])
    .run(({ assert }, { setting, forwardedFor, ip }) => {
      const peer = setting === '10.0.0.0/8' ? '10.0.0.2' : '127.0.0.1'
      assert.equal(ipOf(setting, peer, forwardedFor), ip)
    })
})
