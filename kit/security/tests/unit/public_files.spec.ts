import { test } from '@japa/runner'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { listPublicPaths } from '#kit/security/src/public_files_middleware'

test.group('Public files | the list read at boot in production', (group) => {
  let root: string

  group.each.setup(async () => {
    root = await mkdtemp(join(tmpdir(), 'public-files-'))
    return () => rm(root, { recursive: true, force: true })
  })

  test('lists files and folders as URL paths, folders with and without a slash', async ({
    assert,
  }) => {
    await mkdir(join(root, 'css', 'themes'), { recursive: true })
    await writeFile(join(root, 'css', 'app.css'), 'body {}')
    await writeFile(join(root, 'css', 'themes', 'dark.css'), 'body {}')
    await writeFile(join(root, 'robots.txt'), '')

    assert.sameMembers(
      [...listPublicPaths(root)],
      [
        '/',
        '/css',
        '/css/',
        '/css/app.css',
        '/css/themes',
        '/css/themes/',
        '/css/themes/dark.css',
        '/robots.txt',
      ]
    )
  })

  test('a missing public folder lists nothing (every request goes to the router)', ({ assert }) => {
    assert.deepEqual([...listPublicPaths(join(root, 'missing'))], ['/'])
  })
})
