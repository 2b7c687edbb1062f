// Profile pictures and the account's nickname in Chromium (issue 12 §3), against the LINE
// reference server's sandbox world: Bob, the "Sealed team" group and Alice herself have
// pictures (served by the server's profile route, fetched through the host's token-checked
// /avatar/ route); Carol has none and keeps her initials. The nickname is set from the
// keyboard alone: the rail account's Shift+F10 opens its page, "Rename", type, Enter.

import type { Locator, Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lineNetwork } from '../../src/main/networks/line'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { expectAccessible } from '../helpers/axe'
import { readQr, screenshot } from '../helpers/browser'
import type { HostHarness } from '../helpers/host-harness'
import { startLineSandbox, type LineSandbox } from '../servers/line/sandbox'

let sandbox: LineSandbox
let app: AppInBrowser
let h: HostHarness
let page: Page

beforeAll(async () => {
  sandbox = await startLineSandbox()
  app = await startAppInBrowser({ networks: () => [lineNetwork], networkConfig: { line: sandbox.config }, open: false })
  ;({ h, page } = app)
})

afterAll(async () => {
  await app?.close()
  await sandbox?.close()
})

const focused = (l: Locator): Promise<boolean> =>
  l.evaluate((el) => (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el)

const chatRow = (title: string): Locator => page.locator('.chat-row').filter({ has: page.locator('.chat-title', { hasText: new RegExp(`^${title}$`) }) })

/** The picture in `scope` has loaded with real pixels (not a broken image, not the initials). */
async function pictureShown(scope: Locator): Promise<boolean> {
  const img = scope.locator('img.avatar-picture.loaded')
  if ((await img.count()) === 0) return false
  return img.first().evaluate((el) => {
    const image = el as unknown as { complete: boolean; naturalWidth: number }
    return image.complete && image.naturalWidth > 0
  })
}

async function addAccount(): Promise<void> {
  await page.goto(h.host.url)
  await page.getByRole('button', { name: 'Add account' }).click()
  await page.locator('[data-network="line"]').click()
  await page.getByRole('button', { name: 'Scan a QR code with your phone' }).click()
  const qr = page.locator('canvas.qr')
  await qr.waitFor()
  await sandbox.phone.scan!(await readQr(qr))
  const pin = page.locator('[data-pin]')
  await pin.waitFor()
  await sandbox.phone.enterPin!((await pin.getAttribute('data-pin'))!)
  await page.locator('dialog.add-account').waitFor({ state: 'hidden' })
}

describe('avatars and the nickname, end to end', () => {
  it('shows contact, group and own pictures, initials where there is none, and renames the account from the keyboard', async () => {
    await addAccount()
    await expect.poll(() => page.locator('.chat-title').allTextContents()).toEqual(expect.arrayContaining(['Bob', 'Carol', 'Sealed team']))

    await expect.poll(() => pictureShown(chatRow('Bob')), { timeout: 10_000 }).toBe(true)
    await expect.poll(() => pictureShown(chatRow('Sealed team')), { timeout: 10_000 }).toBe(true)
    await expect.poll(() => pictureShown(page.locator('.rail-account')), { timeout: 10_000 }).toBe(true)
    // Carol has no picture: her initials, and no request for one.
    expect(await chatRow('Carol').locator('img').count()).toBe(0)
    expect((await chatRow('Carol').locator('.avatar-initials').textContent())?.trim()).toBe('C')
    // The page loaded them from the token-checked route, never from a path or the network directly.
    const src = await chatRow('Bob').locator('img.avatar-picture').getAttribute('src')
    expect(src).toMatch(/^\/avatar\/acc_[\w-]+\/[^/]+\/[a-z0-9]+\?token=/)
    const withoutToken = await page.evaluate(async (url) => (await fetch(url.replace(/\?token=.*$/, ''))).status, src!)
    expect(withoutToken).toBe(403)

    // The chat header and the contact panel show Bob's picture too.
    await chatRow('Bob').click()
    await expect.poll(() => pictureShown(page.locator('.chat-header'))).toBe(true)
    await screenshot(page, 'avatars-01-inbox')
    await expectAccessible(page, 'inbox with pictures')

    // The nickname, by keyboard only: focus the rail account, Shift+F10, Tab to Rename, type, Enter.
    await page.locator('.rail-account').focus()
    await page.keyboard.press('Shift+F10')
    const dialog = page.locator('dialog.account-dialog')
    await dialog.waitFor()
    const rename = dialog.getByRole('button', { name: 'Rename' })
    await rename.focus()
    await page.keyboard.press('Enter')
    const field = dialog.getByRole('textbox', { name: 'Nickname on this computer' })
    await expect.poll(() => focused(field)).toBe(true)
    await page.keyboard.press('Control+A')
    await page.keyboard.type('Work LINE')
    await expectAccessible(page, 'nickname editor')
    await page.keyboard.press('Enter')
    await expect.poll(() => dialog.locator('h3').first().textContent()).toBe('Work LINE')
    expect(await dialog.getByText('Name on the network: Alice').count()).toBe(1)
    await expect.poll(() => focused(rename)).toBe(true)
    await screenshot(page, 'avatars-02-nickname')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(() => page.locator('.rail-account .sr-only').textContent()).toContain('Work LINE · LINE')

    // Kept by Core: a reload shows the nickname again.
    await page.reload()
    await expect.poll(() => page.locator('.rail-account .sr-only').textContent()).toContain('Work LINE')
    await expect.poll(() => pictureShown(page.locator('.rail-account')), { timeout: 10_000 }).toBe(true)
    await screenshot(page, 'avatars-03-reloaded')
  })
})
