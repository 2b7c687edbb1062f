// Legacy WhatsApp, "messaging a daily user expects" (issue 12), in Chromium against the
// reference server: the chat info panel shows the contact's last seen as the server answered
// `["query","Presence","lastseen",JID]` (spec §6.3) and follows their `Presence` pushes live
// (§6.5); a promotion pushed as a `Chat` action (§6.5) shows as a line naming people; a pasted
// photo reaches the contact's phone with the preview and size the page drew (§7.2).

import type { Page } from 'playwright'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { whatsappNetwork } from '../../src/main/networks/whatsapp'
import { strings } from '../../src/renderer/src/strings'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { expectAccessible } from '../helpers/axe'
import { readQr, screenshot } from '../helpers/browser'
import { pasteFile } from '../helpers/files'
import { SimulatedPhone } from '../servers/whatsapp/phone'
import { WhatsAppServer } from '../servers/whatsapp/server'

const ALICE = '15550100@c.us'
const BOB = '15550101@c.us'
const CAROL = '15550102@c.us'
const TEAM = '15550100-1600000000@g.us'

/** Bob left WhatsApp at 9:30 on 15 January 2026 (whole seconds, as the wire carries it). */
const BOB_LEFT = Math.floor(new Date(2026, 0, 15, 9, 30).getTime() / 1000)

let server: WhatsAppServer
let phone: SimulatedPhone
let app: AppInBrowser
let page: Page

beforeAll(async () => {
  server = await WhatsAppServer.start({ ttlMs: 30_000 })
  phone = new SimulatedPhone(server, server.addAccount(ALICE, 'Alice'))
  phone.seed(
    [
      [BOB, 'Bob Builder'],
      [CAROL, 'Carol Singer']
    ],
    [
      { jid: BOB, messages: [[BOB, 'hi Alice']] },
      { jid: TEAM, name: 'Team', participants: [CAROL], messages: [[CAROL, 'standup at 10']] }
    ]
  )
  phone.contactOnline(BOB, false, BOB_LEFT)
  app = await startAppInBrowser({
    networks: () => [whatsappNetwork],
    networkConfig: { whatsapp: server.clientConfig({ requestTimeoutMs: 5_000, reconnectBaseMs: 50 }) },
    open: false
  })
  page = app.page
  await page.goto(app.h.host.url)
  await page.getByRole('button', { name: 'Add account' }).click()
  await page.locator('[data-network="whatsapp"]').click()
  await page.getByRole('button', { name: 'WhatsApp Web, legacy protocol' }).click()
  const qr = page.locator('canvas.qr')
  await qr.waitFor()
  await phone.scan(await readQr(qr))
  await page.locator('dialog.add-account').waitFor({ state: 'hidden' })
  await page.locator('.rail-account[data-state="online"]').waitFor()
  await page.locator('.chat-row', { hasText: 'Bob Builder' }).waitFor()
}, 90_000)

afterAll(async () => {
  expect(app?.errors ?? []).toEqual([])
  await app?.close()
  await server?.close()
})

const panel = () => page.getByRole('complementary', { name: 'Chat info' })
const chatRow = (title: string) => page.locator('.chat-row').filter({ has: page.locator('.chat-title', { hasText: new RegExp(`^${title}$`) }) })

describe('legacy WhatsApp presence, group actions and photo previews, end to end', () => {
  it('shows Bob’s last seen in the chat info panel, then follows him online and offline live', async () => {
    await chatRow('Bob Builder').click()
    await page.locator('.message', { hasText: 'hi Alice' }).waitFor()
    await page.locator('.chat-header').getByRole('button', { name: 'Chat info' }).click()
    await expect.poll(() => panel().locator('.chat-info-name').textContent()).toBe('Bob Builder')
    await expect.poll(() => panel().locator('dt').allTextContents()).toContain(strings.chat.infoLastSeen)
    await expect.poll(() => panel().locator('time').textContent()).toBe(strings.chat.lastSeenAt(BOB_LEFT * 1000))
    expect(await panel().locator('time').getAttribute('datetime')).toBe(new Date(BOB_LEFT * 1000).toISOString())
    await screenshot(page, 'whatsapp-legacy-last-seen-01')
    await expectAccessible(page, 'legacy WhatsApp chat info, last seen')

    phone.contactOnline(BOB, true)
    await panel().getByText(strings.chat.presence.online).waitFor()
    expect(await panel().locator('time').count()).toBe(0)
    const left = Math.floor(Date.now() / 1000) - 60
    phone.contactOnline(BOB, false, left)
    await expect.poll(() => panel().locator('time').textContent()).toBe(strings.chat.lastSeenAt(left * 1000))
    await panel().getByText(strings.chat.presence.offline).waitFor()
    await screenshot(page, 'whatsapp-legacy-last-seen-02-live')
  })

  it('shows a promotion in the group as a line with names', async () => {
    await chatRow('Team').click()
    await page.locator('.message', { hasText: 'standup at 10' }).waitFor()
    expect(phone.setAdmins(TEAM, [CAROL], true)).toBe(true)
    await page.getByRole('main', { name: 'Team' }).locator('.system', { hasText: 'You made Carol Singer an admin' }).waitFor()
    await screenshot(page, 'whatsapp-legacy-group-admin')
  })

  it('sends a pasted photo with the preview and size the page drew', async () => {
    await chatRow('Bob Builder').click()
    await page.getByRole('button', { name: 'Send a photo or file' }).waitFor()
    const picture = new PNG({ width: 48, height: 32 })
    for (let i = 0; i < picture.data.length; i += 4) picture.data.set([30, 140, 90, 255], i)
    const png = PNG.sync.write(picture)
    await pasteFile(page, png, 'pasted.png', 'image/png')
    await expect.poll(() => server.uploads.received.find((r) => r.chat === BOB && r.kind === 'image')?.file?.equals(png), { timeout: 15_000 }).toBe(true)
    const got = server.uploads.received.find((r) => r.chat === BOB && r.kind === 'image')!
    expect([got.width, got.height]).toEqual([48, 32])
    // spec §7.2 jpegThumbnail: a JPEG (FF D8 FF), small enough to be a preview.
    expect(got.jpegThumbnail!.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]))
    expect(got.jpegThumbnail!.length).toBeLessThanOrEqual(16 * 1024)
    await page.locator('.message.mine.kind-image').last().waitFor()
  })
})
