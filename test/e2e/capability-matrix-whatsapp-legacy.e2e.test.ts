// The capability matrix's legacy WhatsApp column (issue 12 "Done when"; the table is in
// capability-matrix.e2e.test.ts): a quoted reply and a forward driven from the hover toolbar
// and the context menu in Chromium, checked in the phone's copy of the chat on the legacy
// reference server (spec whatsapp-web §7: `extendedTextMessage.contextInfo`), Bob's quote
// shown in the UI, Bob's revoke shown as deleted, ours reaching the phone (spec §6.2); and what
// the legacy protocol lacks (reactions and edits: the account's capabilities) not offered.
// axe on the toolbar, the menu and the delete dialog.

import type { Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { whatsappNetwork } from '../../src/main/networks/whatsapp'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { expectAccessible } from '../helpers/axe'
import { readQr, screenshot } from '../helpers/browser'
import { SimulatedPhone } from '../servers/whatsapp/phone'
import { WhatsAppServer } from '../servers/whatsapp/server'
import type { StoredMessage } from '../servers/whatsapp/world'

const ALICE = '15550100@c.us'
const BOB = '15550101@c.us'
const CAROL = '15550102@c.us'
const TEAM = '15550100-1600000000@g.us'

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
  await app?.close()
  await server?.close()
})

const chatRow = (title: string) => page.locator('.chat-row').filter({ has: page.locator('.chat-title', { hasText: new RegExp(`^${title}$`) }) })
const theirs = (text: string) => page.locator('.message.theirs', { hasText: text })
const mine = (text: string) => page.locator('.message.mine', { hasText: text })
const composer = () => page.getByRole('textbox', { name: 'Message' })
type Content = { conversation?: string; extendedTextMessage?: { text?: string; contextInfo?: Record<string, unknown> } }
const textOf = (m: StoredMessage) => {
  const c = m.content as Content | undefined
  return c?.conversation ?? c?.extendedTextMessage?.text
}
/** The phone's copy of a message Alice sent from Junction. */
const onPhone = (chat: string, text: string) => phone.messages(chat).find((m) => m.fromMe && textOf(m) === text)

async function fromBob(text: string): Promise<StoredMessage> {
  await chatRow('Bob Builder').click()
  const m = phone.sendAs(BOB, text)
  await theirs(text).waitFor()
  return m
}

describe('message actions on legacy WhatsApp, end to end', () => {
  it('offers reply and forward but no reaction or edit (axe clean), and replies with a quote the phone keeps', async () => {
    const question = await fromBob('lunch at one?')
    const m = theirs('lunch at one?')
    await m.hover()
    await m.getByRole('toolbar').waitFor()
    expect(await m.getByRole('button', { name: 'React', exact: true }).count()).toBe(0)
    await screenshot(page, 'matrix-whatsapp-legacy-toolbar')
    await page.screenshot({ path: '/tmp/matrix-whatsapp-legacy-toolbar.png' })
    await expectAccessible(page, 'legacy WhatsApp message toolbar')
    await m.locator('.bubble').click({ button: 'right' })
    const menu = page.getByRole('menu', { name: 'Message actions' })
    await menu.waitFor()
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Reply', 'Copy text', 'Forward…', 'Info', 'Delete…'])
    await expectAccessible(page, 'legacy WhatsApp message menu')
    await page.getByRole('menuitem', { name: 'Reply' }).click()
    await page.locator('.reply-bar', { hasText: 'lunch at one?' }).waitFor()
    await composer().fill('yes, one is fine')
    await composer().press('Enter')
    await expect.poll(() => onPhone(BOB, 'yes, one is fine') !== undefined).toBe(true)
    const context = (onPhone(BOB, 'yes, one is fine')!.content as Content).extendedTextMessage?.contextInfo
    // spec §6.2: JIDs inside the protobuf are `@s.whatsapp.net`.
    expect(context).toMatchObject({ stanzaId: question.id, participant: '15550101@s.whatsapp.net', quotedMessage: { conversation: 'lunch at one?' } })
    expect(await mine('yes, one is fine').locator('.quote').textContent()).toContain('lunch at one?')
  })

  it('shows Bob’s quoted reply to our message', async () => {
    await chatRow('Bob Builder').click()
    await composer().fill('the report is attached')
    await composer().press('Enter')
    await expect.poll(() => onPhone(BOB, 'the report is attached') !== undefined).toBe(true)
    const ours = onPhone(BOB, 'the report is attached')!
    const answer: StoredMessage = {
      id: phone.account.newMessageId(),
      chat: BOB,
      fromMe: false,
      timestamp: phone.account.nextTimestamp(),
      status: 0,
      pushName: 'Bob Builder',
      content: {
        extendedTextMessage: {
          text: 'thanks, got it',
          contextInfo: { stanzaId: ours.id, participant: '15550100@s.whatsapp.net', quotedMessage: { conversation: 'the report is attached' } }
        }
      }
    }
    server.deliver(phone.account, answer)
    await theirs('thanks, got it').locator('.quote', { hasText: 'the report is attached' }).waitFor()
    expect(await theirs('thanks, got it').locator('.quote-sender').textContent()).toBe('You')
  })

  it('offers no edit, and deletes our message for everyone: the phone keeps it as a REVOKE stub (spec §6.2)', async () => {
    await chatRow('Bob Builder').click()
    await composer().fill('wrong chat, sorry')
    await composer().press('Enter')
    await expect.poll(() => mine('wrong chat, sorry').getAttribute('data-status')).toMatch(/sent|delivered|read/)
    await mine('wrong chat, sorry').locator('.bubble').click({ button: 'right' })
    expect(await page.getByRole('menuitem').allTextContents()).toEqual(['Reply', 'Copy text', 'Forward…', 'Info', 'Delete…'])
    await page.getByRole('menuitem', { name: 'Delete…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete this message?' })
    await dialog.waitFor()
    expect(await dialog.getByRole('button').allTextContents()).toEqual(['Cancel', 'Delete for me', 'Delete for everyone'])
    await expectAccessible(page, 'legacy WhatsApp delete dialog')
    await dialog.getByRole('button', { name: 'Delete for everyone' }).click()
    await page.locator('.message.mine.deleted', { hasText: 'This message was deleted.' }).waitFor()
    await expect.poll(() => phone.messages(BOB).find((m) => m.fromMe && m.stubType === 1 && !m.content)?.id).toBeTruthy()
  })

  it('shows Bob’s revoke (spec §7.2 protocolMessage REVOKE) as deleted', async () => {
    const regret = await fromBob('ignore this one')
    const revoke: StoredMessage = {
      id: phone.account.newMessageId(),
      chat: BOB,
      fromMe: false,
      timestamp: phone.account.nextTimestamp(),
      status: 0,
      pushName: 'Bob Builder',
      // The key as Alice's phone relays it: Bob's message in Bob's chat, not from her.
      content: { protocolMessage: { key: { remoteJid: '15550101@s.whatsapp.net', fromMe: false, id: regret.id }, type: 0 } }
    }
    server.deliver(phone.account, revoke)
    await expect.poll(() => theirs('ignore this one').count()).toBe(0)
    expect(await page.locator('.message.theirs.deleted').count()).toBeGreaterThan(0)
  })

  it('forwards Bob’s message to the Team group, where the phone has it', async () => {
    await fromBob('the code is 4711')
    await theirs('the code is 4711').locator('.bubble').click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Forward…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Forward to…' })
    await dialog.waitFor()
    await dialog.getByRole('searchbox', { name: 'Find a chat' }).fill('team')
    await expectAccessible(page, 'legacy WhatsApp forward dialog')
    await dialog.getByRole('button', { name: /^Team/ }).click()
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(() => onPhone(TEAM, 'the code is 4711') !== undefined).toBe(true)
  })

  it('shows the Team group’s subject in chat info', async () => {
    await chatRow('Team').click()
    await page.locator('.chat-header').getByRole('button', { name: 'Chat info' }).click()
    const panel = page.getByRole('complementary', { name: 'Chat info' })
    await expect.poll(() => panel.locator('.chat-info-name').textContent()).toBe('Team')
    await page.screenshot({ path: '/tmp/matrix-whatsapp-legacy-group-info.png' })
    await expectAccessible(page, 'legacy WhatsApp group info')
    await panel.getByRole('button', { name: 'Close chat info' }).click()
    expect(app.errors).toEqual([])
  })

  // The legacy client asks `["query","GroupMetadata",GID]` (spec whatsapp-web, the queries
  // table) after sync and reports the group's members (legacy/group-metadata.ts).
  it('lists the Team group’s members in chat info', async () => {
    await chatRow('Team').click()
    await page.locator('.chat-header').getByRole('button', { name: 'Chat info' }).click()
    const panel = page.getByRole('complementary', { name: 'Chat info' })
    await panel.waitFor()
    try {
      await expect
        .poll(() => panel.locator('.chat-info-members li > span[dir]').allTextContents(), { timeout: 3_000 })
        .toEqual(expect.arrayContaining(['Carol Singer']))
    } finally {
      await panel.getByRole('button', { name: 'Close chat info' }).click()
    }
  })
})
