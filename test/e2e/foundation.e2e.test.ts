// A person adds an account by scanning the QR on screen, sees the chats in the unified
// inbox, and sends a message — the headless host with the fake network, in Chromium.

import type { Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeNetwork } from '../doubles/fake-network'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { readQr, screenshot } from '../helpers/browser'
import type { HostHarness } from '../helpers/host-harness'

let app: AppInBrowser
let h: HostHarness
let page: Page
let errors: string[]

beforeAll(async () => {
  const net = new FakeNetwork({ qrTtlMs: 30_000 })
  net.addUser('alice@c.us', 'Alice', {
    chats: [
      {
        id: 'bob@c.us',
        title: 'Bob',
        messages: [
          ['bob@c.us', 'hi Alice'],
          ['alice@c.us', 'hi Bob']
        ]
      },
      { id: 'team@g.us', kind: 'group', title: 'Team', messages: [['carol@c.us', 'standup at 10']] }
    ]
  })
  app = await startAppInBrowser({ net, open: false })
  ;({ h, page, errors } = app)
})

afterAll(async () => app?.close())

describe('the app in a browser, end to end', () => {
  it('adds an account from the QR on screen, shows its chats and sends a message', async () => {
    await page.goto(h.host.url)
    await expect.poll(() => page.locator('.inbox .empty').textContent()).toContain('Add an account')
    // The token leaves the address bar once read.
    expect(page.url()).not.toContain('token=')
    await screenshot(page, 'foundation-01-empty')

    await page.getByRole('button', { name: 'Add account' }).click()
    await page.locator('[data-network="whatsapp"]').click()
    await page.getByRole('button', { name: 'Scan a QR code with your phone' }).click()
    const qr = page.locator('canvas.qr')
    await qr.waitFor()
    await screenshot(page, 'foundation-02-qr')
    const payload = await readQr(qr)
    expect(h.net.pendingQrPayloads).toContain(payload)
    h.net.scan(payload, 'alice@c.us')

    await page.getByText('Account added').waitFor()
    await page.locator('dialog.add-account').waitFor({ state: 'hidden' })
    await expect.poll(() => page.locator('.chat-title').allTextContents()).toEqual(['Team', 'Bob'])
    await expect.poll(() => page.locator('.rail-account').getAttribute('data-state')).toBe('online')
    await screenshot(page, 'foundation-03-inbox')

    await page.locator('.chat-row', { hasText: 'Bob' }).click()
    await page.locator('.message', { hasText: 'hi Alice' }).waitFor()
    const composer = page.getByRole('textbox', { name: 'Message' })
    await composer.fill('first line')
    await composer.press('Shift+Enter')
    await composer.pressSequentially('second line')
    expect(await composer.inputValue()).toBe('first line\nsecond line')
    await composer.press('Enter')
    const mine = page.locator('.message.mine', { hasText: 'second line' })
    await expect.poll(() => mine.getAttribute('data-status')).toBe('sent')
    // The status comes by the store's event, possibly a moment before the Api's answer empties the composer.
    await expect.poll(() => composer.inputValue()).toBe('')
    expect(h.net.deliveries.map((d) => d.text)).toEqual(['first line\nsecond line'])

    h.net.sendFromContact('alice@c.us', 'bob@c.us', 'got it, thanks')
    await page.locator('.message.theirs', { hasText: 'got it, thanks' }).waitFor()
    h.net.readBy('alice@c.us', 'bob@c.us')
    await expect.poll(() => mine.getAttribute('data-status')).toBe('read')
    await screenshot(page, 'foundation-04-chat')
    expect(errors).toEqual([])
  })
})
