// The capability matrix's WhatsApp multi-device column (issue 12 "Done when"; the table is in
// capability-matrix.e2e.test.ts): reply, react, edit, unsend and forward driven through the
// hover toolbar and the context menu in Chromium, each checked at the contact's phone on the
// reference server (what it decrypted, spec whatsapp-md §7.8–§7.9), and the contact's own
// quote, reaction, edit and revoke shown in the UI; a pasted photo and a dropped document
// that Bob's phone opens byte for byte (§8.2–§8.4), and a photo from Bob shown. axe on the
// toolbar, the menu and the dialogs.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { whatsappNetwork } from '../../src/main/networks/whatsapp'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { expectAccessible } from '../helpers/axe'
import { readQr, screenshot } from '../helpers/browser'
import { dropFile, pasteFile } from '../helpers/files'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../servers/whatsapp-md'
import { mdClientConfig } from '../servers/whatsapp-md/sandbox'

const ALICE = '15550100'
const SELF = `${ALICE}@s.whatsapp.net`
const BOB = '15550101'
const BOB_JID = `${BOB}@s.whatsapp.net`
const CAROL = '15550102'

let dir: string
let server: WhatsAppMdServerControls
let app: AppInBrowser
let page: Page
let group: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wamd-matrix-'))
  server = await startWhatsAppMdServer({ stateDir: dir })
  server.hub.world.account(ALICE, 'Alice')
  server.hub.world.account(BOB, 'Bob Builder')
  server.hub.world.account(CAROL, 'Carol Singer')
  const t = Math.floor(Date.now() / 1000) - 3_600
  server.seedHistory(ALICE, [
    { jid: BOB_JID, messages: [{ id: 'MATRIX-1', fromMe: false, text: 'hi Alice', t }] },
    { jid: `${CAROL}@s.whatsapp.net`, messages: [{ id: 'MATRIX-2', fromMe: false, text: 'standup at 10', t: t - 60 }] }
  ])
  group = server.createGroup(BOB, 'Hiking', [ALICE, CAROL])
  app = await startAppInBrowser({
    networks: () => [whatsappNetwork],
    networkConfig: { whatsapp: { md: mdClientConfig(server, { initialPreKeys: 30, reconnectBaseMs: 50, requestTimeoutMs: 5_000 }) } },
    open: false
  })
  page = app.page
  await page.goto(app.h.host.url)
  await page.getByRole('button', { name: 'Add account' }).click()
  await page.locator('[data-network="whatsapp"]').click()
  await page.getByRole('button', { name: 'Link with a QR code' }).click()
  const qr = page.locator('canvas.qr')
  await qr.waitFor()
  await server.scan(await readQr(qr), ALICE)
  await page.locator('dialog.add-account').waitFor({ state: 'hidden' })
  await page.locator('.chat-row', { hasText: 'Carol Singer' }).waitFor()
  await page.locator('.chat-row', { hasText: 'Bob Builder' }).waitFor()
}, 90_000)

afterAll(async () => {
  await app?.close()
  await server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const chatRow = (title: string) => page.locator('.chat-row').filter({ has: page.locator('.chat-title', { hasText: new RegExp(`^${title}$`) }) })
const theirs = (text: string) => page.locator('.message.theirs', { hasText: text })
const mine = (text: string) => page.locator('.message.mine', { hasText: text })
const composer = () => page.getByRole('textbox', { name: 'Message' })
/** What Bob's phone decrypted from Alice (spec §7.8–§7.9 content, with the stanza's attributes). */
const bobDecoded = () => server.hub.decoded.filter((d) => d.to === BOB)

/** Bob writes in his chat, and it is on screen; resolves to the message's id. */
async function fromBob(text: string): Promise<string> {
  await chatRow('Bob Builder').click()
  const id = await server.contact(BOB).sendText(SELF, text)
  await theirs(text).waitFor()
  return id
}

/** Alice sends from the composer in Bob's chat; resolves once Bob's phone has it, to its id there. */
async function toBob(text: string): Promise<string> {
  await chatRow('Bob Builder').click()
  await composer().fill(text)
  await composer().press('Enter')
  await expect
    .poll(() =>
      server
        .contact(BOB)
        .received()
        .some((m) => m.text === text)
    )
    .toBe(true)
  return server
    .contact(BOB)
    .received()
    .find((m) => m.text === text)!.id
}

describe('every message action on WhatsApp multi-device, end to end', () => {
  it('offers the full toolbar and menu (axe clean), replies with a quote Bob’s phone sees, and shows Bob’s quote', async () => {
    const question = await fromBob('lunch at one?')
    await theirs('lunch at one?').hover()
    const toolbar = theirs('lunch at one?').getByRole('toolbar')
    await toolbar.waitFor()
    await screenshot(page, 'matrix-whatsapp-md-toolbar')
    await page.screenshot({ path: '/tmp/matrix-whatsapp-md-toolbar.png' })
    await expectAccessible(page, 'WhatsApp multi-device message toolbar')
    await theirs('lunch at one?').locator('.bubble').click({ button: 'right' })
    const menu = page.getByRole('menu', { name: 'Message actions' })
    await menu.waitFor()
    // Someone else's message: no Edit; everything else WhatsApp carries.
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Reply', 'React', 'Copy text', 'Forward…', 'Info', 'Delete…'])
    await expectAccessible(page, 'WhatsApp multi-device message menu')
    await page.getByRole('menuitem', { name: 'Reply' }).click()
    await page.locator('.reply-bar', { hasText: 'lunch at one?' }).waitFor()
    await composer().fill('yes, one is fine')
    await composer().press('Enter')
    await expect
      .poll(() => bobDecoded().find((d) => d.message.extendedTextMessage?.text === 'yes, one is fine')?.message.extendedTextMessage?.contextInfo)
      .toMatchObject({
        stanzaId: question,
        participant: BOB_JID,
        quotedMessage: { conversation: 'lunch at one?' }
      })
    expect(await mine('yes, one is fine').locator('.quote').textContent()).toContain('lunch at one?')

    const answer = server
      .contact(BOB)
      .received()
      .find((m) => m.text === 'yes, one is fine')!.id
    await server.sendMessage(BOB, SELF, {
      extendedTextMessage: { text: 'see you there', contextInfo: { stanzaId: answer, participant: SELF, quotedMessage: { conversation: 'yes, one is fine' } } }
    })
    await theirs('see you there').locator('.quote', { hasText: 'yes, one is fine' }).waitFor()
    expect(await theirs('see you there').locator('.quote-sender').textContent()).toBe('You')
  })

  it('reacts and takes the reaction back at Bob’s phone, and shows Bob’s reaction', async () => {
    const news = await fromBob('the build is green')
    const m = theirs('the build is green')
    await m.hover()
    await m.getByRole('button', { name: 'React', exact: true }).click()
    const picker = page.getByRole('group', { name: 'Choose a reaction' })
    await picker.waitFor()
    await expectAccessible(page, 'WhatsApp multi-device reaction picker')
    await picker.getByRole('button').first().click()
    await m.locator('.reaction.own').waitFor()
    const reacted = () => bobDecoded().filter((d) => d.message.reactionMessage?.key?.id === news)
    await expect.poll(() => reacted().length).toBe(1)
    expect(reacted()[0]!.attrs.type).toBe('reaction')
    const emoji = reacted()[0]!.message.reactionMessage!.text!
    expect(emoji.length).toBeGreaterThan(0)
    await m.getByRole('button', { name: new RegExp(`Remove your ${emoji}`) }).click()
    await expect.poll(() => reacted().map((d) => d.message.reactionMessage?.text)).toEqual([emoji, ''])
    await expect.poll(() => m.locator('.reaction.own').count()).toBe(0)

    const ours = await toBob('shipping it now')
    await server.sendMessage(
      BOB,
      SELF,
      { reactionMessage: { key: { remoteJid: SELF, fromMe: false, id: ours }, text: '🎉', senderTimestampMs: Date.now() } },
      { type: 'reaction' }
    )
    await mine('shipping it now').locator('.reaction', { hasText: '🎉' }).waitFor()
  })

  it('edits our message (Bob’s phone gets the edit) and shows Bob’s edit', async () => {
    const ours = await toBob('meet at the caffe')
    const m = mine('meet at the caffe')
    await m.locator('.bubble').click({ button: 'right' })
    expect(await page.getByRole('menuitem').allTextContents()).toEqual(['Reply', 'React', 'Copy text', 'Edit', 'Forward…', 'Info', 'Delete…'])
    await page.getByRole('menuitem', { name: 'Edit' }).click()
    await page.locator('.reply-bar', { hasText: 'Editing your message' }).waitFor()
    await composer().fill('meet at the café')
    await composer().press('Enter')
    await mine('meet at the café').locator('.edited').waitFor()
    const edit = () => bobDecoded().find((d) => (d.message.editedMessage?.message?.protocolMessage ?? d.message.protocolMessage)?.key?.id === ours)
    await expect.poll(() => edit()?.attrs.edit).toBe('1')
    const pm = edit()!.message.editedMessage?.message?.protocolMessage ?? edit()!.message.protocolMessage
    expect(pm).toMatchObject({ type: 14, key: { remoteJid: BOB_JID, fromMe: true, id: ours } })
    expect(pm?.editedMessage?.conversation ?? pm?.editedMessage?.extendedTextMessage?.text).toBe('meet at the café')

    const typo = await fromBob('see you tomorow')
    const key = { remoteJid: SELF, fromMe: true, id: typo }
    await server.sendMessage(
      BOB,
      SELF,
      { editedMessage: { message: { protocolMessage: { key, type: 14, editedMessage: { conversation: 'see you tomorrow' }, timestampMs: Date.now() } } } },
      { edit: '1' }
    )
    await theirs('see you tomorrow').locator('.edited').waitFor()
  })

  it('unsends our message for everyone (Bob’s phone gets the revoke) and shows Bob’s revoke as deleted', async () => {
    const ours = await toBob('wrong chat, sorry')
    await mine('wrong chat, sorry').locator('.bubble').click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Delete…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete this message?' })
    await dialog.waitFor()
    await expectAccessible(page, 'WhatsApp multi-device delete dialog')
    await dialog.getByRole('button', { name: 'Delete for everyone' }).click()
    await page.locator('.message.mine.deleted', { hasText: 'This message was deleted.' }).waitFor()
    await expect.poll(() => bobDecoded().find((d) => d.message.protocolMessage?.type === 0 && d.message.protocolMessage.key?.id === ours)?.attrs.edit).toBe('7')

    const regret = await fromBob('ignore this one')
    await server.sendMessage(BOB, SELF, { protocolMessage: { key: { remoteJid: SELF, fromMe: true, id: regret }, type: 0 } }, { edit: '7' })
    await expect.poll(() => theirs('ignore this one').count()).toBe(0)
    expect(await page.locator('.message.theirs.deleted').count()).toBeGreaterThan(0)
  })

  it('forwards Bob’s message to Carol, whose phone gets its text', async () => {
    await fromBob('the code is 4711')
    await theirs('the code is 4711').locator('.bubble').click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Forward…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Forward to…' })
    await dialog.waitFor()
    await dialog.getByRole('searchbox', { name: 'Find a chat' }).fill('carol')
    await dialog.getByRole('button', { name: /^Carol Singer/ }).click()
    await dialog.waitFor({ state: 'hidden' })
    await expect
      .poll(() =>
        server
          .contact(CAROL)
          .received()
          .map((m) => m.text)
      )
      .toContain('the code is 4711')
  })

  it('sends a pasted photo and a dropped document that Bob’s phone opens byte for byte, and shows Bob’s photo', async () => {
    await chatRow('Bob Builder').click()
    await page.getByRole('button', { name: 'Send a photo or file' }).waitFor()
    const picture = new PNG({ width: 48, height: 32 })
    for (let i = 0; i < picture.data.length; i += 4) picture.data.set([30, 140, 90, 255], i)
    const png = PNG.sync.write(picture)
    const opened = (kind: string) => server.hub.files.find((f) => f.to === BOB && f.file?.kind === kind)
    await pasteFile(page, png, 'pasted.png', 'image/png')
    await expect.poll(() => opened('image')?.file?.bytes.equals(png), { timeout: 15_000 }).toBe(true)
    expect(server.hub.files.filter((f) => f.to === BOB && f.error)).toEqual([])
    await page.locator('.message.mine.kind-image').last().waitFor()
    // The photo went with its size and a JPEG preview drawn by the page (§8.6), as phones show before downloading.
    const sent = bobDecoded().findLast((d) => d.message.imageMessage)!.message.imageMessage!
    expect([sent.width, sent.height]).toEqual([48, 32])
    expect(Buffer.from(sent.jpegThumbnail!).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]))
    expect(sent.jpegThumbnail!.length).toBeLessThanOrEqual(16 * 1024)

    const pdf = Buffer.from('%PDF-1.4\n% the minutes\n')
    await dropFile(page, pdf, 'minutes.pdf', 'application/pdf')
    await expect.poll(() => opened('document')?.file?.fileName, { timeout: 15_000 }).toBe('minutes.pdf')
    expect(opened('document')!.file!.bytes.equals(pdf)).toBe(true)
    await page.locator('.message.mine.kind-file', { hasText: 'minutes.pdf' }).waitFor()

    await server.sendMedia(BOB, SELF, { kind: 'image', bytes: png, mime: 'image/png', caption: 'from the site' })
    await page.locator('.message.theirs img.photo').last().waitFor()
    await page.locator('.message.theirs', { hasText: 'from the site' }).waitFor()
    await page.screenshot({ path: '/tmp/matrix-whatsapp-md-media.png' })
    await expectAccessible(page, 'WhatsApp multi-device chat with photos and a document')
  })

  it('shows a group’s subject and members in chat info, and chats in it with both members', async () => {
    await chatRow('Hiking').click()
    await page.locator('.chat-header').getByRole('button', { name: 'Chat info' }).click()
    const panel = page.getByRole('complementary', { name: 'Chat info' })
    await expect.poll(() => panel.locator('.chat-info-name').textContent()).toBe('Hiking')
    await expect.poll(() => panel.getByRole('heading', { level: 3 }).textContent()).toBe('3 members')
    const members = await panel.locator('.chat-info-members li > span[dir]').allTextContents()
    expect(members).toEqual(expect.arrayContaining(['Bob Builder', 'Carol Singer']))
    await expectAccessible(page, 'WhatsApp multi-device group info')
    await panel.getByRole('button', { name: 'Close chat info' }).click()
    await server.contact(BOB).sendText(group, 'who is in?')
    await theirs('who is in?').waitFor()
    await composer().fill('me!')
    await composer().press('Enter')
    const got = (n: string) =>
      server
        .contact(n)
        .received()
        .some((m) => m.text === 'me!' && m.chat === group)
    await expect.poll(() => got(BOB) && got(CAROL)).toBe(true)
    expect(app.errors).toEqual([])
  })
})
