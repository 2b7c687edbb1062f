// Debian's Chromium driven by Playwright. No browser is ever downloaded: the executable
// is the system one (CHROMIUM_PATH overrides). Screenshots go to an ignored folder.

import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Locator, type Page } from 'playwright'
import { PNG } from 'pngjs'
import jsQR from 'jsqr'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SCREENSHOT_DIR = resolve(__dirname, '../../.artifacts/screenshots')

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with apt-get install chromium (.ci/run does)`)
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic'
    ]
  })
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path })
  return path
}

/** Reads a QR code back from what is on screen, as a phone camera would. */
export async function readQr(target: Locator): Promise<string> {
  const png = PNG.sync.read(await target.screenshot())
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)
  if (!code) throw new Error('no QR code found in the screenshot')
  return code.data
}

/** Fails the test on any console error or uncaught exception in the page (a CSP violation included). */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(String(e)))
  return errors
}
