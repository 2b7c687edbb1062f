// Issue 12 §4 "keyboard reachable", on WhatsApp multi-device: every message action driven
// with the keyboard alone in Chromium (after setup not one click or hover), each checked at
// the contact's phone on the reference server (what it decrypted, spec whatsapp-md §7.8–§7.9):
// from the composer to a message (Shift+Tab, ↑), its toolbar (Tab) and its menu (Shift+F10,
// the toolbar's "More actions"), the quick reactions and the whole picker (arrows, Enter),
// reply, edit, delete for everyone, forward, copy and info; Esc closes each menu, picker and
// dialog with focus back where it was. axe on every open surface; focus rings checked and
// screenshotted (/tmp/keyboard-*.png).

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { whatsappNetwork } from '../../src/main/networks/whatsapp'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { expectAccessible } from '../helpers/axe'
import { startWhatsAppMdServer, type WhatsAppMdServerControls } from '../servers/whatsapp-md'
import { mdClientConfig } from '../servers/whatsapp-md/sandbox'
import { atComposerOf, composerOf, expectFocus, expectFocusRing, lastMessageOf, pressUntilFocused, readClipboard, ringColours } from './keyboard-helpers'
import { linkByQr } from './keyboard-setup'

const ALICE = '15550100'
const SELF = `${ALICE}@s.whatsapp.net`
const BOB = '15550101'
const BOB_JID = `${BOB}@s.whatsapp.net`
const CAROL = '15550102'

let dir: string
let server: WhatsAppMdServerControls
let app: AppInBrowser
let page: Page
let rings: string[]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wamd-keyboard-'))
  server = await startWhatsAppMdServer({ stateDir: dir })
  server.hub.world.account(ALICE, 'Alice')
  server.hub.world.account(BOB, 'Bob Builder')
  server.hub.world.account(CAROL, 'Carol Singer')
  const t = Math.floor(Date.now() / 1000) - 3_600
  server.seedHistory(ALICE, [
    { jid: BOB_JID, messages: [{ id: 'KEYS-1', fromMe: false, text: 'hi Alice', t }] },
    { jid: `${CAROL}@s.whatsapp.net`, messages: [{ id: 'KEYS-2', fromMe: false, text: 'standup at 10', t: t - 60 }] }
  ])
  app = await startAppInBrowser({
    networks: () => [whatsappNetwork],
    networkConfig: { whatsapp: { md: mdClientConfig(server, { initialPreKeys: 30, reconnectBaseMs: 50, requestTimeoutMs: 5_000 }) } },
    open: false
  })
  page = app.page
  await linkByQr(app, 'whatsapp', (payload) => server.scan(payload, ALICE))
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.h.host.url).origin })
  await page.goto(app.h.host.url)
  await page.locator('.chat-row', { hasText: 'Bob Builder' }).waitFor()
  await page.locator('.chat-row', { hasText: 'Carol Singer' }).waitFor()
  rings = await ringColours(page)
}, 90_000)

afterAll(async () => {
  await app?.close()
  await server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const theirs = (text: string) => page.locator('.message.theirs', { hasText: text })
const mine = (text: string) => page.locator('.message.mine', { hasText: text })
const composer = () => composerOf(page)
const menu = () => page.getByRole('menu', { name: 'Message actions' })
const picker = () => page.getByRole('group', { name: 'Choose a reaction' })
const menuItem = (action: string) => menu().locator(`[data-action="${action}"]`)
/** What Bob's phone decrypted from Alice (spec §7.8–§7.9 content, with the stanza's attributes). */
const bobDecoded = () => server.hub.decoded.filter((d) => d.to === BOB)

const atBobsComposer = () => atComposerOf(page, 'Bob Builder')

async function fromBob(text: string): Promise<string> {
  const id = await server.contact(BOB).sendText(SELF, text)
  await theirs(text).waitFor()
  return id
}

/** Types into the focused composer and sends; resolves once Bob's phone has it, to its id there. */
async function toBob(text: string): Promise<string> {
  await expectFocus(composer(), 'the composer')
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
  const got = () =>
    server
      .contact(BOB)
      .received()
      .find((m) => m.text === text)
  await expect.poll(() => got() !== undefined).toBe(true)
  await expect.poll(() => mine(text).getAttribute('data-status')).not.toBe('pending')
  return got()!.id
}

describe('WhatsApp multi-device message actions from the keyboard', () => {
  it('reaches a message from the composer and reacts from its toolbar with the quick set; Esc closes the picker back on React', async () => {
    await atBobsComposer()
    const news = await fromBob('the build is green')
    const m = await lastMessageOf(page)
    expect(await m.textContent()).toContain('the build is green')
    await expectFocusRing(page, 'wamd-message', rings)

    await page.keyboard.press('Tab')
    const react = m.getByRole('button', { name: 'React', exact: true })
    await expectFocus(react, 'the toolbar’s React')
    await expectFocusRing(page, 'wamd-toolbar-react', rings)
    await page.keyboard.press('Enter')
    await picker().waitFor()
    await expectFocus(picker().getByRole('button', { name: 'React with thumbs up' }), 'the first quick reaction')
    await page.keyboard.press('ArrowRight')
    await expectFocus(picker().getByRole('button', { name: 'React with red heart' }), 'the second quick reaction')
    await expectFocusRing(page, 'wamd-quick-reactions', rings)
    await expectAccessible(page, 'WhatsApp quick reactions, from the keyboard')
    await page.keyboard.press('Escape')
    await picker().waitFor({ state: 'hidden' })
    await expectFocus(react, 'React again after Esc')

    await page.keyboard.press('Enter')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('Enter')
    await m.locator('.reaction.own', { hasText: '😂' }).waitFor()
    await expect.poll(() => bobDecoded().find((d) => d.message.reactionMessage?.key?.id === news)?.message.reactionMessage?.text).toBe('😂')
    // Picking puts focus back on React, so the next key acts on the same message.
    await expectFocus(react, 'React after picking')
  })

  it('reacts from the whole picker (menu → React → More reactions, arrows across the grid), and takes it back', async () => {
    await atBobsComposer()
    const news = await fromBob('the deploy is done')
    const m = await lastMessageOf(page)
    await page.keyboard.press('Shift+F10')
    await menu().waitFor()
    await pressUntilFocused(page, 'ArrowDown', menuItem('react'), 3)
    await page.keyboard.press('Enter')
    await picker().waitFor()
    const more = picker().getByRole('button', { name: 'More reactions' })
    await pressUntilFocused(page, 'ArrowRight', more, 6)
    await page.keyboard.press('Enter')
    // The whole grid, eight wide (EmojiPicker COLUMNS): ↓ is the row below, → the next.
    await expectFocus(picker().getByRole('button', { name: 'React with thumbs up' }), 'the first emoji of the whole picker')
    await page.keyboard.press('ArrowDown')
    await expectFocus(picker().getByRole('button', { name: 'React with thumbs down' }), 'the emoji below')
    await page.keyboard.press('ArrowRight')
    const party = picker().getByRole('button', { name: 'React with party popper' })
    await expectFocus(party, 'the emoji to the right')
    await expectFocusRing(page, 'wamd-emoji-picker', rings)
    await expectAccessible(page, 'WhatsApp emoji picker, from the keyboard')
    await page.keyboard.press('Enter')
    await m.locator('.reaction.own', { hasText: '🎉' }).waitFor()
    const sent = () => bobDecoded().filter((d) => d.message.reactionMessage?.key?.id === news)
    await expect.poll(() => sent().map((d) => d.message.reactionMessage?.text)).toEqual(['🎉'])
    // The picker came from the menu, which came from the message: focus is back on the message.
    await expectFocus(m, 'the message after picking')

    // Our own reaction shows pressed in the picker, and its focus ring still shows on it.
    await page.keyboard.press('Shift+F10')
    await menu().waitFor()
    await pressUntilFocused(page, 'ArrowDown', menuItem('react'), 3)
    await page.keyboard.press('Enter')
    await pressUntilFocused(page, 'ArrowRight', more, 6)
    await page.keyboard.press('Enter')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowRight')
    await expectFocus(party, 'our own reaction in the picker')
    expect(await party.getAttribute('aria-pressed')).toBe('true')
    await expectFocusRing(page, 'wamd-emoji-picker-own', rings)
    await page.keyboard.press('Enter')
    await expect.poll(() => sent().map((d) => d.message.reactionMessage?.text)).toEqual(['🎉', ''])
    await expect.poll(() => m.locator('.reaction.own').count()).toBe(0)
  })

  it('replies from the message menu (Shift+F10, Enter); Esc closes the menu back on the message; Bob’s phone gets the quote', async () => {
    await atBobsComposer()
    const question = await fromBob('lunch at one?')
    const m = await lastMessageOf(page)
    await page.keyboard.press('Shift+F10')
    await menu().waitFor()
    expect(await menu().getByRole('menuitem').allTextContents()).toEqual(['Reply', 'React', 'Copy text', 'Forward…', 'Info', 'Delete…'])
    await expectFocus(menuItem('reply'), 'the menu’s first item')
    await expectFocusRing(page, 'wamd-message-menu', rings)
    await expectAccessible(page, 'WhatsApp message menu, from the keyboard')
    await page.keyboard.press('Escape')
    await menu().waitFor({ state: 'hidden' })
    await expectFocus(m, 'the message after Esc')

    await page.keyboard.press('ContextMenu')
    await menu().waitFor()
    await page.keyboard.press('Enter')
    await page.locator('.reply-bar', { hasText: 'lunch at one?' }).waitFor()
    await expectFocus(composer(), 'the composer, replying')
    await page.keyboard.type('yes, one is fine')
    await page.keyboard.press('Enter')
    await expect
      .poll(() => bobDecoded().find((d) => d.message.extendedTextMessage?.text === 'yes, one is fine')?.message.extendedTextMessage?.contextInfo)
      .toMatchObject({ stanzaId: question, participant: BOB_JID, quotedMessage: { conversation: 'lunch at one?' } })
    await page.locator('.reply-bar').waitFor({ state: 'hidden' })
  })

  it('edits our message from the toolbar’s More actions; Esc on that menu goes back to More actions', async () => {
    await atBobsComposer()
    const ours = await toBob('meet at the caffe')
    const m = await lastMessageOf(page)
    const more = m.getByRole('button', { name: 'More actions' })
    await pressUntilFocused(page, 'Tab', more, 4)
    await expectFocusRing(page, 'wamd-toolbar-more', rings)
    await page.keyboard.press('Enter')
    await menu().waitFor()
    expect(await menu().getByRole('menuitem').allTextContents()).toEqual(['Reply', 'React', 'Copy text', 'Edit', 'Forward…', 'Info', 'Delete…'])
    await page.keyboard.press('Escape')
    await menu().waitFor({ state: 'hidden' })
    await expectFocus(more, 'More actions after Esc')

    await page.keyboard.press('Enter')
    await pressUntilFocused(page, 'ArrowDown', menuItem('edit'), 4)
    // What the composer holds once the task that gave it focus is over: where the next key lands. It
    // was empty there, the text coming a render later and overwriting whatever had been typed.
    await composer().evaluate((el) => {
      const box = el as unknown as { value: string; addEventListener(type: string, f: () => void, o: { once: boolean }): void }
      const g = globalThis as unknown as { atFocus: string[] }
      g.atFocus = []
      box.addEventListener('focus', () => queueMicrotask(() => g.atFocus.push(box.value)), { once: true })
    })
    await page.keyboard.press('Enter')
    await page.locator('.reply-bar', { hasText: 'Editing your message' }).waitFor()
    await expectFocus(composer(), 'the composer, editing')
    expect(await page.evaluate(() => (globalThis as unknown as { atFocus: string[] }).atFocus)).toEqual(['meet at the caffe'])
    expect(await composer().inputValue()).toBe('meet at the caffe')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('meet at the café')
    await page.keyboard.press('Enter')
    await mine('meet at the café').locator('.edited').waitFor()
    const edit = () => bobDecoded().find((d) => (d.message.editedMessage?.message?.protocolMessage ?? d.message.protocolMessage)?.key?.id === ours)
    await expect.poll(() => edit()?.attrs.edit).toBe('1')
    const pm = edit()!.message.editedMessage?.message?.protocolMessage ?? edit()!.message.protocolMessage
    expect(pm).toMatchObject({ type: 14, key: { remoteJid: BOB_JID, fromMe: true, id: ours } })
    expect(pm?.editedMessage?.conversation ?? pm?.editedMessage?.extendedTextMessage?.text).toBe('meet at the café')
  })

  it('deletes our message for everyone from the menu’s last item; Esc on the dialog goes back to the message', async () => {
    await atBobsComposer()
    const ours = await toBob('wrong chat, sorry')
    const m = await lastMessageOf(page)
    await page.keyboard.press('Shift+F10')
    await menu().waitFor()
    await page.keyboard.press('End')
    await expectFocus(menuItem('delete'), 'Delete… (End)')
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Delete this message?' })
    await dialog.waitFor()
    await expectAccessible(page, 'WhatsApp delete dialog, from the keyboard')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await expectFocus(m, 'the message after Esc on the dialog')

    await page.keyboard.press('Shift+F10')
    await menu().waitFor()
    await page.keyboard.press('End')
    await page.keyboard.press('Enter')
    await dialog.waitFor()
    const everyone = dialog.getByRole('button', { name: 'Delete for everyone' })
    await pressUntilFocused(page, 'Tab', everyone, 4)
    await expectFocusRing(page, 'wamd-delete-for-everyone', rings)
    await page.keyboard.press('Enter')
    await page.locator('.message.mine.deleted', { hasText: 'This message was deleted.' }).waitFor()
    await expect.poll(() => bobDecoded().find((d) => d.message.protocolMessage?.type === 0 && d.message.protocolMessage.key?.id === ours)?.attrs.edit).toBe('7')
    await expectFocus(m, 'the deleted message')
  })

  it('forwards Bob’s message to Carol from the dialog’s search (type, Tab, Enter); Carol’s phone gets it', async () => {
    await atBobsComposer()
    await fromBob('the code is 4711')
    const m = await lastMessageOf(page)
    await page.keyboard.press('Shift+F10')
    await menu().waitFor()
    await pressUntilFocused(page, 'ArrowDown', menuItem('forward'), 4)
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Forward to…' })
    await dialog.waitFor()
    await expectFocus(dialog.getByRole('searchbox', { name: 'Find a chat' }), 'the forward search')
    await page.keyboard.type('carol')
    await expect.poll(() => dialog.getByRole('listitem').allTextContents()).toEqual(['Carol SingerWhatsApp'])
    await page.keyboard.press('Tab')
    await expectFocus(dialog.getByRole('button', { name: /^Carol Singer/ }), 'Carol in the list')
    await expectFocusRing(page, 'wamd-forward-target', rings)
    await expectAccessible(page, 'WhatsApp forward dialog, from the keyboard')
    await page.keyboard.press('Enter')
    await dialog.waitFor({ state: 'hidden' })
    await expect
      .poll(() =>
        server
          .contact(CAROL)
          .received()
          .map((r) => r.text)
      )
      .toContain('the code is 4711')
    await expectFocus(m, 'the message after forwarding')
  })

  it('copies a message’s text and shows our message’s info with its read time; Esc closes the info back on More actions', async () => {
    await atBobsComposer()
    await fromBob('the pin is 0815')
    const copied = await lastMessageOf(page)
    await page.keyboard.press('Shift+F10')
    await menu().waitFor()
    await pressUntilFocused(page, 'ArrowDown', menuItem('copy'), 4)
    await page.keyboard.press('Enter')
    await page.getByRole('status').filter({ hasText: 'Copied.' }).waitFor()
    expect(await readClipboard(page)).toBe('the pin is 0815')
    await expectFocus(copied, 'the message after copying')

    await atBobsComposer()
    const ours = await toBob('did you read this?')
    server.read(BOB, SELF, [ours])
    await expect.poll(() => mine('did you read this?').getAttribute('data-status')).toBe('read')
    const m = await lastMessageOf(page)
    // This time from the toolbar: the dialog gives focus back to More actions, which shows only while its message has focus.
    const more = m.getByRole('button', { name: 'More actions' })
    await pressUntilFocused(page, 'Tab', more, 4)
    await page.keyboard.press('Enter')
    await pressUntilFocused(page, 'ArrowDown', menuItem('info'), 6)
    await page.keyboard.press('Enter')
    const info = page.getByRole('dialog', { name: 'Message info' })
    await info.waitFor()
    const rows = await info.locator('dt, dd').allTextContents()
    expect(rows.filter((_, i) => i % 2 === 0)).toEqual(['Sent', 'Delivered', 'Read'])
    expect(rows[5]).toMatch(/\d/)
    await expectAccessible(page, 'WhatsApp message info, from the keyboard')
    await page.keyboard.press('Escape')
    await info.waitFor({ state: 'hidden' })
    await expectFocus(more, 'More actions after Esc on the info')
    expect(app.errors).toEqual([])
  })
})
