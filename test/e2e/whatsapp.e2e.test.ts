// A person adds a WhatsApp account in Chromium: the QR on screen is read back from a
// screenshot, the simulated phone scans exactly that payload, the inbox shows the phone's
// chats, and messages go both ways through the reference server (sent → delivered → read).

import type { Page } from 'playwright'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { whatsappNetwork } from '../../src/main/networks/whatsapp'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { readQr, screenshot } from '../helpers/browser'
import type { HostHarness } from '../helpers/host-harness'
import { SimulatedPhone } from '../servers/whatsapp/phone'
import { WhatsAppServer } from '../servers/whatsapp/server'

const ALICE = '15550100@c.us'
const BOB = '15550101@c.us'
const CAROL = '15550102@c.us'
const TEAM = '15550100-1600000000@g.us'

let server: WhatsAppServer
let phone: SimulatedPhone
let h: HostHarness
let app: AppInBrowser
let page: Page
let errors: string[]

function picture(): Buffer {
  const png = new PNG({ width: 40, height: 30 })
  png.data.fill(200)
  return PNG.sync.write(png)
}

beforeAll(async () => {
  server = await WhatsAppServer.start({ ttlMs: 30_000, autoDeliver: false })
  phone = new SimulatedPhone(server, server.addAccount(ALICE, 'Alice'))
  phone.seed(
    [
      [BOB, 'Bob Builder'],
      [CAROL, 'Carol Singer']
    ],
    [
      {
        jid: BOB,
        messages: [
          [BOB, 'hi Alice'],
          [ALICE, 'hi Bob']
        ]
      },
      { jid: TEAM, name: 'Team', participants: [CAROL], messages: [[CAROL, 'standup at 10']] }
    ]
  )
  app = await startAppInBrowser({
    networks: () => [whatsappNetwork],
    networkConfig: { whatsapp: server.clientConfig({ requestTimeoutMs: 5_000, reconnectBaseMs: 50 }) },
    open: false
  })
  ;({ h, page, errors } = app)
})

afterAll(async () => {
  await app?.close()
  await server?.close()
})

describe('WhatsApp in the app, end to end', () => {
  it('adds an account from the QR on screen, shows the chats and chats both ways', async () => {
    await page.goto(h.host.url)
    await page.getByRole('button', { name: 'Add account' }).click()
    // The legacy protocol is WhatsApp's second login method.
    await page.locator('[data-network="whatsapp"]').click()
    await page.getByRole('button', { name: 'WhatsApp Web, legacy protocol' }).click()
    const qr = page.locator('canvas.qr')
    await qr.waitFor()
    await screenshot(page, 'whatsapp-01-qr')
    const payload = await readQr(qr)
    const [ref, publicKey, clientId] = payload.split(',')
    expect(ref).toMatch(/^1@/)
    expect(Buffer.from(publicKey!, 'base64')).toHaveLength(32)
    expect(clientId).toHaveLength(24)
    expect(await phone.scan(payload)).toContain('Paired')

    await page.getByText('Account added').waitFor()
    await page.locator('dialog.add-account').waitFor({ state: 'hidden' })
    await expect.poll(() => page.locator('.chat-title').allTextContents()).toEqual(['Team', 'Bob Builder'])
    await expect.poll(() => page.locator('.rail-account').getAttribute('data-state')).toBe('online')
    await screenshot(page, 'whatsapp-02-inbox')

    await page.locator('.chat-row', { hasText: 'Bob Builder' }).click()
    await page.locator('.message', { hasText: 'hi Alice' }).waitFor()
    const composer = page.getByRole('textbox', { name: 'Message' })
    await composer.fill('Hello from Junction')
    await composer.press('Enter')
    const mine = page.locator('.message.mine', { hasText: 'Hello from Junction' })
    // Acked by the server; then Bob's phone receives it (delivery receipt); then Bob reads it.
    await expect.poll(() => mine.getAttribute('data-status')).toBe('sent')
    expect(server.stats.relays.map((r) => [r.chat, r.text])).toEqual([[BOB, 'Hello from Junction']])
    expect(phone.receivedBy(BOB)).toHaveLength(1)
    await expect.poll(() => mine.getAttribute('data-status')).toBe('delivered')
    phone.readBy(BOB)
    await expect.poll(() => mine.getAttribute('data-status')).toBe('read')

    phone.sendAs(BOB, 'got it, thanks')
    await page.locator('.message.theirs', { hasText: 'got it, thanks' }).waitFor()
    // Reading the chat in Junction sends a read receipt to the phone.
    await expect.poll(() => server.stats.reads.some((r) => r.chat === BOB)).toBe(true)

    phone.sendImageAs(BOB, picture(), { mime: 'image/png', width: 40, height: 30, caption: 'a picture' })
    const img = page.locator('.message.theirs img.photo')
    await img.waitFor()
    await expect.poll(() => img.evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth)).toBe(40)
    await screenshot(page, 'whatsapp-03-chat')
    expect(errors).toEqual([])
  })
})
