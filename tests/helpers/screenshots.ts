import { createHash } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import type { Page } from 'playwright'
import type { Assert } from '@japa/assert'
import { colourReport, lowContrastTexts } from '#tests/helpers/contrast'

/**
 * Where the pictures of the status pages live (shown in the README and docs/errors.md).
 */
export const SCREENSHOTS_DIR = new URL('../../docs/screenshots/', import.meta.url)

/**
 * The size every picture is taken at.
 */
export const SCREENSHOT_VIEWPORT = { width: 800, height: 600 }

/**
 * The request id the pages show in the pictures, so that taking them again
 * gives the same files.
 */
export const SCREENSHOT_REQUEST_ID = 'req_0c7a2f9e41d84b6b'

/**
 * "UPDATE_SCREENSHOTS=1 npm run test:browser" writes the pictures; every
 * other run only checks them, so the suite never changes the work tree.
 */
export const updatingScreenshots = process.env.UPDATE_SCREENSHOTS === '1'

/**
 * "manifest.json" records, for each picture, a hash of what it was taken
 * of (the page's HTML, which holds all its CSS, and the viewport). A page
 * whose HTML changed no longer matches its picture.
 */
const MANIFEST = new URL('manifest.json', SCREENSHOTS_DIR)

type Manifest = Record<string, string>

/**
 * The hash the manifest keeps for a picture of `html`. The CSP nonce of
 * the page's <style> changes with every response, and changes nothing in
 * the picture, so it is left out.
 */
export function screenshotSource(html: string) {
  const { width, height } = SCREENSHOT_VIEWPORT
  const stable = html.replace(/ nonce="[^"]*"/g, ' nonce=""')
  return createHash('sha256').update(`${width}x${height}\n${stable}`).digest('hex')
}

async function readManifest(): Promise<Manifest> {
  try {
    return JSON.parse(await readFile(MANIFEST, 'utf8'))
  } catch {
    return {}
  }
}

/**
 * Width and height of a PNG, from its IHDR chunk.
 */
export function pngSize(png: Buffer) {
  const signature = '89504e470d0a1a0a'
  if (png.subarray(0, 8).toString('hex') !== signature) {
    throw new Error('Not a PNG file')
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

/**
 * Takes the picture `docs/screenshots/<file>` of the page, rendered from
 * `html`. When updating, writes it and its manifest entry. Otherwise the
 * picture is still taken (it must work) and the committed one is checked:
 * it exists, has the viewport's size, and was taken of this very HTML.
 */
export async function checkScreenshot(page: Page, file: string, html: string) {
  const picture = await page.screenshot({ animations: 'disabled', caret: 'hide' })
  const source = screenshotSource(html)

  if (updatingScreenshots) {
    await mkdir(SCREENSHOTS_DIR, { recursive: true })
    await writeFile(new URL(file, SCREENSHOTS_DIR), picture)
    const manifest = await readManifest()
    manifest[file] = source
    const sorted = Object.fromEntries(
      Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b))
    )
    await writeFile(MANIFEST, JSON.stringify(sorted, null, 2) + '\n')
    return
  }

  const stale = `Run "UPDATE_SCREENSHOTS=1 npm run test:browser" and commit docs/screenshots/.`
  let committed: Buffer
  try {
    committed = await readFile(new URL(file, SCREENSHOTS_DIR))
  } catch {
    throw new Error(`docs/screenshots/${file} is missing. ${stale}`)
  }
  const size = pngSize(committed)
  if (size.width !== pngSize(picture).width || size.height !== pngSize(picture).height) {
    throw new Error(`docs/screenshots/${file} is ${size.width}x${size.height}. ${stale}`)
  }
  const manifest = await readManifest()
  if (manifest[file] !== source) {
    throw new Error(`docs/screenshots/${file} shows an older version of the page. ${stale}`)
  }
}

/**
 * What a page's picture is taken of: its HTML with the CSRF tokens blanked
 * and whatever else `blank` takes out (values new on every run: a reset
 * token, a secret), and the stylesheet it links to.
 */
export async function pictureSource(page: Page, blank: (html: string) => string = (html) => html) {
  const content = await page.content()
  const html = blank(content.replace(/(name="_csrf" value=")[^"]+"/g, '$1"'))
  const css = await readFile(new URL('../../public/css/app.css', import.meta.url), 'utf8')
  return html + css
}

/**
 * Checks the page in the light and the dark scheme (the scheme applies,
 * every text is readable) and, given its `source`, pictures it in each as
 * `<name>-light.png` and `<name>-dark.png`. Leaves the page light.
 */
export async function checkBothSchemes(page: Page, assert: Assert, name: string, source?: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    const report = await colourReport(page)
    assert.equal(report.prefersDark, colorScheme === 'dark', `${name}, ${colorScheme}`)
    assert.deepEqual(lowContrastTexts(report), [], `${name}, ${colorScheme}`)
    if (source !== undefined) {
      await checkScreenshot(page, `${name}-${colorScheme}.png`, source)
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
}
