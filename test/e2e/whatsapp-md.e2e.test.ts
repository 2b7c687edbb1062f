// A person links WhatsApp (multi-device, the default method) in Chromium: the QR on screen
// is read back from a screenshot, the simulated phone scans exactly that payload, its chats
// appear (history sync), and messages go both ways through the reference
// server (sent → delivered → read, and a read receipt back to the contact).

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { whatsappNetwork } from '../../src/main/networks/whatsapp'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { readQr, screenshot } from '../helpers/browser'
import type { HostHarness } from '../helpers/host-harness'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../servers/whatsapp-md'
import { mdClientConfig } from '../servers/whatsapp-md/sandbox'

const ALICE = '15550100'
const SELF = `${ALICE}@s.whatsapp.net`
const BOB = '15550101'
const CAROL = '15550102'

let dir: string
let server: WhatsAppMdServerControls
let h: HostHarness
let app: AppInBrowser
let page: Page
let errors: string[]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wamd-e2e-'))
  server = await startWhatsAppMdServer({ stateDir: dir })
  server.hub.world.account(ALICE, 'Alice')
  server.hub.world.account(BOB, 'Bob Builder')
  server.hub.world.account(CAROL, 'Carol Singer')
  const t = Math.floor(Date.now() / 1000) - 3_600
  server.seedHistory(ALICE, [
    { jid: `${BOB}@s.whatsapp.net`, messages: [{ id: 'E2E-1', fromMe: false, text: 'hi Alice', t }] },
    { jid: `${CAROL}@s.whatsapp.net`, messages: [{ id: 'E2E-2', fromMe: false, text: 'standup at 10', t: t - 60 }] }
  ])
  app = await startAppInBrowser({
    networks: () => [whatsappNetwork],
    networkConfig: { whatsapp: { md: mdClientConfig(server, { initialPreKeys: 30, reconnectBaseMs: 50, requestTimeoutMs: 5_000 }) } },
    open: false
  })
  ;({ h, page, errors } = app)
})

afterAll(async () => {
  await app?.close()
  await server?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('WhatsApp multi-device in the app, end to end', () => {
  it('links from the QR on screen, shows the chats and chats both ways', async () => {
    await page.goto(h.host.url)
    await page.getByRole('button', { name: 'Add account' }).click()
    await page.locator('[data-network="whatsapp"]').click()
    await page.getByRole('button', { name: 'Link with a QR code' }).click()
    const qr = page.locator('canvas.qr')
    await qr.waitFor()
    await screenshot(page, 'whatsapp-md-01-qr')
    const payload = await readQr(qr)
    // spec §5.2: ref, noise key, identity key, ADV secret, platform.
    expect(payload).toMatch(/^https:\/\/wa\.me\/settings\/linked_devices#2@[^,]+,[^,]+,[^,]+,[^,]+,7$/)
    const { jid } = await server.scan(payload, ALICE)
    expect(jid).toMatch(/^15550100:\d+@s\.whatsapp\.net$/)

    await page.getByText('Account added').waitFor()
    await page.locator('dialog.add-account').waitFor({ state: 'hidden' })
    await expect.poll(() => page.locator('.rail-account').getAttribute('data-state')).toBe('online')

    // The phone's chats arrive by history sync while the dialog shows its progress.
    await expect.poll(() => page.locator('.chat-title').allTextContents()).toEqual(['Bob Builder', 'Carol Singer'])
    await screenshot(page, 'whatsapp-md-02-inbox')

    await page.locator('.chat-row', { hasText: 'Bob Builder' }).click()
    await page.locator('.message.theirs', { hasText: 'hi Alice' }).waitFor()
    // Reading the chat in Junction sends a read receipt to Bob.
    await expect.poll(() => server.hub.reads.some((r) => r.includes(`>${BOB}@s.whatsapp.net:`))).toBe(true)

    const composer = page.getByRole('textbox', { name: 'Message' })
    await composer.fill('Hello from Junction')
    await composer.press('Enter')
    const mine = page.locator('.message.mine', { hasText: 'Hello from Junction' })
    await expect.poll(() => mine.getAttribute('data-status')).toMatch(/sent|delivered/)
    await expect
      .poll(() =>
        server
          .contact(BOB)
          .received()
          .map((m) => m.text)
      )
      .toEqual(['Hello from Junction'])
    await expect.poll(() => mine.getAttribute('data-status')).toBe('delivered')
    const [sent] = server.contact(BOB).received()
    server.read(BOB, SELF, [sent!.id])
    await expect.poll(() => mine.getAttribute('data-status')).toBe('read')

    await server.contact(BOB).sendText(SELF, 'got it, thanks')
    await page.locator('.message.theirs', { hasText: 'got it, thanks' }).waitFor()
    await screenshot(page, 'whatsapp-md-03-chat')
    expect(errors).toEqual([])
  })
})
