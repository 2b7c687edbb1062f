// The chat info panel of a WhatsApp legacy group (issue 12 §5), in Chromium against the
// reference server: after pairing, the group's members come from `["query","GroupMetadata",GID]`
// (spec §6.3) and show by their contact names, the own account as "You"; a member the phone adds
// (a GROUP_PARTICIPANT_ADD stub, spec §7.1) is listed when the panel opens again. Axe clean.

import type { Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { whatsappNetwork } from '../../src/main/networks/whatsapp'
import { expectAccessible } from '../helpers/axe'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { readQr, screenshot } from '../helpers/browser'
import type { HostHarness } from '../helpers/host-harness'
import { SimulatedPhone } from '../servers/whatsapp/phone'
import { WhatsAppServer } from '../servers/whatsapp/server'

const ALICE = '15550100@c.us'
const BOB = '15550101@c.us'
const CAROL = '15550102@c.us'
const DAVE = '15550103@c.us'
const TEAM = '15550100-1600000000@g.us'

let server: WhatsAppServer
let phone: SimulatedPhone
let h: HostHarness
let app: AppInBrowser
let page: Page
let errors: string[]

beforeAll(async () => {
  server = await WhatsAppServer.start({ ttlMs: 30_000 })
  phone = new SimulatedPhone(server, server.addAccount(ALICE, 'Alice'))
  phone.seed(
    [
      [BOB, 'Bob Builder'],
      [CAROL, 'Carol Singer'],
      [DAVE, 'Dave Digger']
    ],
    [
      { jid: BOB, messages: [[BOB, 'hi Alice']] },
      { jid: TEAM, name: 'Sandbox team', participants: [CAROL, DAVE], messages: [[CAROL, 'standup at 10']] }
    ]
  )
  app = await startAppInBrowser({
    networks: () => [whatsappNetwork],
    networkConfig: { whatsapp: server.clientConfig({ requestTimeoutMs: 5_000, reconnectBaseMs: 50 }) },
    open: false
  })
  ;({ h, page, errors } = app)
}, 60_000)

afterAll(async () => {
  await app?.close()
  await server?.close()
})

const infoButton = () => page.locator('.chat-header').getByRole('button', { name: 'Chat info' })
const panel = () => page.getByRole('complementary', { name: 'Chat info' })
const memberNames = () => panel().locator('.chat-info-members li > span[dir]').allTextContents()

describe('a WhatsApp legacy group in the chat info panel', () => {
  it('lists the members by name and follows a member the phone adds', async () => {
    await page.goto(h.host.url)
    await page.getByRole('button', { name: 'Add account' }).click()
    await page.locator('[data-network="whatsapp"]').click()
    await page.getByRole('button', { name: 'WhatsApp Web, legacy protocol' }).click()
    const qr = page.locator('canvas.qr')
    await qr.waitFor()
    expect(await phone.scan(await readQr(qr))).toContain('Paired')
    await page.locator('dialog.add-account').waitFor({ state: 'hidden' })

    await page.locator('.chat-row', { hasText: 'Sandbox team' }).click()
    await expect.poll(() => page.locator('.chat-header h1').textContent()).toBe('Sandbox team')
    // The metadata query runs in the background after the sync; reopen until it has landed.
    await expect
      .poll(async () => {
        if (await panel().count()) await panel().getByRole('button', { name: 'Close chat info' }).click()
        await infoButton().click()
        await panel().locator('.chat-info-name').waitFor()
        return memberNames()
      })
      .toEqual(['Carol Singer', 'Dave Digger', 'You'])
    await expect.poll(() => panel().getByRole('heading', { level: 3 }).textContent()).toBe('3 members')
    // No raw JID anywhere in the panel.
    expect(await panel().textContent()).not.toContain('@c.us')
    await screenshot(page, 'group-members-01-whatsapp-legacy')
    await expectAccessible(page, 'chat info, WhatsApp legacy group')

    phone.addMember(TEAM, BOB)
    await expect
      .poll(async () => {
        await panel().getByRole('button', { name: 'Close chat info' }).click()
        await infoButton().click()
        await panel().locator('.chat-info-name').waitFor()
        return memberNames()
      })
      .toEqual(['Bob Builder', 'Carol Singer', 'Dave Digger', 'You'])
    await screenshot(page, 'group-members-02-added')
    expect(errors).toEqual([])
  })
})
