import { chromium } from 'playwright'
import type { PluginConfig } from '@japa/browser-client/types'

/**
 * The Chromium the browser suite drives: Debian's "chromium" package
 * (Playwright cannot download its own browser here). CHROMIUM_PATH points
 * elsewhere when needed.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/**
 * Flags for a quiet, headless Chromium in a container: no sandbox (CI runs
 * as root), no GPU, and none of the background traffic (updates, sync,
 * safe browsing lists) a fresh profile would start.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/**
 * Launches Chromium for @japa/browser-client (its `launcher` option).
 * Called only for the suites listed in `runInSuites`.
 */
export const launchChromium: NonNullable<PluginConfig['launcher']> = ({ headless, slowMo }) =>
  chromium.launch({ headless, slowMo, executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
