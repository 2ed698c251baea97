import { test } from '@japa/runner'
import { capturedLogger } from '#kit/testing'

test.group('Errors | safe logs', () => {
  test('cookies and authorization headers are redacted', ({ assert }) => {
    const { logger, lines } = capturedLogger()

    logger.info(
      {
        req: { headers: { cookie: 'adonis-session=s%3Aabc', authorization: 'Bearer t0k3n' } },
        res: { headers: { 'set-cookie': 'adonis-session=s%3Adef' } },
        headers: { cookie: 'raw=1', authorization: 'Basic Zm9vOmJhcg==' },
      },
      'request'
    )

    const text = JSON.stringify(lines)
    for (const secret of ['s%3Aabc', 't0k3n', 's%3Adef', 'raw=1', 'Zm9vOmJhcg==']) {
      assert.notInclude(text, secret)
    }
    assert.equal(lines[0].req.headers.cookie, '[redacted]')
    assert.equal(lines[0].headers.authorization, '[redacted]')
  })

  test('password, token and secret fields are redacted', ({ assert }) => {
    const { logger, lines } = capturedLogger()

    logger.warn(
      {
        password: 'hunter2',
        body: { email: 'a@b.c', password: 'hunter3', password_confirmation: 'hunter3' },
        token: 'tok-1',
        data: { token: 'tok-2', secret: 'shh', apiKey: 'key-1', sessionId: 'sess-1' },
      },
      'login attempt'
    )

    const text = JSON.stringify(lines)
    for (const secret of ['hunter2', 'hunter3', 'tok-1', 'tok-2', 'shh', 'key-1', 'sess-1']) {
      assert.notInclude(text, secret)
    }
    assert.equal(lines[0].body.email, 'a@b.c')
  })

  test('CR and LF in a message cannot start a new line', ({ assert }) => {
    const { logger, lines } = capturedLogger()

    logger.error('bad input\n{"level":30,"msg":"forged"}\r\nend')

    assert.lengthOf(lines, 1)
    assert.equal(lines[0].msg, 'bad input\\n{"level":30,"msg":"forged"}\\r\\nend')
  })

  test('format arguments are escaped too', ({ assert }) => {
    const { logger, lines } = capturedLogger()

    logger.info('user %s', 'name\nINFO forged')

    assert.equal(lines[0].msg, 'user name\\nINFO forged')
  })

  test('secrets are redacted at any depth, in arrays, whatever the case of their key', ({
    assert,
  }) => {
    const { logger, lines } = capturedLogger()

    logger.info(
      {
        job: { payload: { user: { Password: 'deep-1' } } },
        attempts: [{ headers: { Authorization: 'Bearer deep-2' } }, 'plain'],
        client: { APIKEY: 'deep-3', name: 'cli' },
      },
      'nested'
    )

    const text = JSON.stringify(lines)
    for (const secret of ['deep-1', 'deep-2', 'deep-3']) {
      assert.notInclude(text, secret)
    }
    assert.equal(lines[0].job.payload.user.Password, '[redacted]')
    assert.equal(lines[0].attempts[1], 'plain')
    assert.equal(lines[0].client.name, 'cli')
  })

  test('the logged object is left as it was', ({ assert }) => {
    const { logger } = capturedLogger()
    const body = { email: 'a@b.c', password: 'hunter4' }
    const entry = { body, list: [{ token: 'tok-3' }] }

    logger.info(entry, 'kept')

    assert.equal(body.password, 'hunter4')
    assert.equal(entry.list[0].token, 'tok-3')
    assert.strictEqual(entry.body, body)
  })

  test('an object that refers back to itself is redacted and logged once', ({ assert }) => {
    const { logger, lines } = capturedLogger()
    const session: Record<string, unknown> = { id: 7, token: 'cyc-1' }
    session.self = session
    session.list = [session]

    logger.info({ session }, 'cycle')

    assert.notInclude(JSON.stringify(lines), 'cyc-1')
    assert.equal(lines[0].session.self, '[Circular]')
    assert.equal(lines[0].session.list[0], '[Circular]')
    assert.equal(session.token, 'cyc-1')
  })

  test('objects formatted into the message and fields of errors are redacted', ({ assert }) => {
    const { logger, lines } = capturedLogger()
    const error = Object.assign(new Error('upstream refused'), {
      request: { headers: { cookie: 'adonis-session=s%3Aerr' } },
    })

    logger.info('sent %j', { to: 'api', secret: 'fmt-1' })
    logger.info({ job: 'sync' }, 'payload %o', { nested: { token: 'fmt-2' } })
    logger.error(error, 'call failed')

    const text = JSON.stringify(lines)
    for (const secret of ['fmt-1', 'fmt-2', 's%3Aerr']) {
      assert.notInclude(text, secret)
    }
    assert.include(lines[0].msg, '"to":"api"')
    assert.equal(lines[2].err.message, 'upstream refused')
  })

  test('the bindings of a child logger are redacted at the top level', ({ assert }) => {
    const { logger, lines } = capturedLogger()

    logger.child({ request_id: 'req-1', token: 'child-1' }).info('from a child')

    assert.notInclude(JSON.stringify(lines), 'child-1')
    assert.equal(lines[0].request_id, 'req-1')
  })
})
