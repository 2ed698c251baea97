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
})
