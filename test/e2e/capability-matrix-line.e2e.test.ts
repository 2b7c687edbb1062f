// The capability matrix's LINE column (the table is in capability-matrix.e2e.test.ts): its
// actions are driven in message-actions and attachments; here the hover toolbar as LINE
// offers it (React and Reply; no Edit anywhere), axe on it, its screenshot, and a group's
// members in chat info, as the LINE reference server lists them.

import type { Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lineNetwork } from '../../src/main/networks/line'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { expectAccessible } from '../helpers/axe'
import { readQr, screenshot } from '../helpers/browser'
import { startLineSandbox, type LineSandbox } from '../servers/line/sandbox'
import type { WorldUser } from '../servers/line/world'

let sandbox: LineSandbox
let app: AppInBrowser
let page: Page
let carol: WorldUser

beforeAll(async () => {
  sandbox = await startLineSandbox()
  app = await startAppInBrowser({ networks: () => [lineNetwork], networkConfig: { line: sandbox.config }, open: false })
  page = app.page
  carol = [...sandbox.server.world.users.values()].find((u) => u.displayName === 'Carol')!
  await page.goto(app.h.host.url)
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
  await page.locator('.rail-account[data-state="online"]').waitFor()
}, 90_000)

afterAll(async () => {
  await app?.close()
  await sandbox?.close()
})

const chatRow = (title: string) => page.locator('.chat-row').filter({ has: page.locator('.chat-title', { hasText: new RegExp(`^${title}$`) }) })

describe('LINE in the capability matrix', () => {
  it('offers React and Reply on the hover toolbar and no Edit on our own message (axe clean)', async () => {
    await chatRow('Carol').click()
    await sandbox.linePhone.sendAs(carol.mid, 'Toolbar, please')
    const theirs = page.locator('.message.theirs', { hasText: 'Toolbar, please' })
    await theirs.waitFor()
    await theirs.hover()
    const toolbar = theirs.getByRole('toolbar')
    await toolbar.waitFor()
    await theirs.getByRole('button', { name: 'React', exact: true }).waitFor()
    await theirs.getByRole('button', { name: 'Reply', exact: true }).waitFor()
    await screenshot(page, 'matrix-line-toolbar')
    await page.screenshot({ path: '/tmp/matrix-line-toolbar.png' })
    await expectAccessible(page, 'LINE message toolbar')

    const composer = page.getByRole('textbox', { name: 'Message' })
    await composer.fill('Mine, not editable')
    await composer.press('Enter')
    const mine = page.locator('.message.mine', { hasText: 'Mine, not editable' })
    await expect.poll(() => mine.getAttribute('data-status')).toBe('sent')
    await mine.locator('.bubble').click({ button: 'right' })
    const menu = page.getByRole('menu', { name: 'Message actions' })
    await menu.waitFor()
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Reply', 'React', 'Copy text', 'Forward…', 'Info', 'Delete…'])
    await page.keyboard.press('Escape')
  })

  it('lists a group’s members in chat info', async () => {
    await chatRow('Mixed group').click()
    await page.locator('.chat-header').getByRole('button', { name: 'Chat info' }).click()
    const panel = page.getByRole('complementary', { name: 'Chat info' })
    await expect.poll(() => panel.locator('.chat-info-name').textContent()).toBe('Mixed group')
    await expect.poll(() => panel.locator('.chat-info-members li > span[dir]').allTextContents()).toEqual(expect.arrayContaining(['Bob', 'Carol']))
    await expectAccessible(page, 'LINE group info')
    await panel.getByRole('button', { name: 'Close chat info' }).click()
    expect(app.errors).toEqual([])
  })
})
