import { test } from '@japa/runner'
import pointAtTheChecklist, { type BuildInstructions } from '#kit/runtime/src/build_banner'

/**
 * Closing instructions that keep their heading and lines, filled as the
 * assembler's bundler fills them: the heading, then its "buildFinished"
 * hooks, then the commands that start the server, then the rendering.
 */
function buildEnding(startCommands: string[]) {
  const banner = { heading: '', lines: [] as string[], rendered: false }
  const instructions: BuildInstructions = {
    heading(text: string) {
      banner.heading = text
      return this
    },
    add(text: string) {
      banner.lines.push(text)
      return this
    },
    render() {
      banner.rendered = true
    },
  }
  instructions.heading('Run the following commands to start the server in production')
  pointAtTheChecklist({}, instructions)
  for (const command of startCommands) {
    instructions.add(command)
  }
  instructions.render()
  return banner
}

test.group('Build banner', () => {
  test('points at the checklist and names the migrations before the server starts', ({
    assert,
  }) => {
    const banner = buildEnding(['cd build', 'npm ci --omit="dev"', 'node bin/server.js'])
    assert.include(banner.heading, 'first deploy: the checklist in docs/production.md')
    assert.deepEqual(banner.lines, [
      'cd build',
      'npm ci --omit="dev"',
      'node ace migration:run --force   # each release, before the server starts',
      'node bin/server.js',
    ])
    assert.isTrue(banner.rendered)
  })

  test('still names the migrations when the start command is worded otherwise', ({ assert }) => {
    const banner = buildEnding(['cd build', 'npm ci --omit="dev"', 'npm start'])
    assert.deepEqual(banner.lines, [
      'cd build',
      'npm ci --omit="dev"',
      'npm start',
      'node ace migration:run --force   # each release, before the server starts',
    ])
  })
})
