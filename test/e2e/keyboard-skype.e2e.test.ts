// Issue 12 §4 "keyboard reachable", on Skype (MSNP24): the message actions Skype has (reply,
// edit, delete for everyone, copy, info; no reactions or forwarding) driven with the keyboard
// alone in Chromium, each checked in Bob's inbox on the reference server (spec skype-msnp
// §6.4, §11.4); Esc closes each menu and dialog with focus back where it was. The chat list's
// keyboard side (§5) is keyboard-chat-list.e2e.test.ts. axe on each open surface.

import type { Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppInBrowser } from '../helpers/app'
import { expectAccessible } from '../helpers/axe'
import type { SkypeServer } from '../servers/skype/server'
import { atComposerOf, composerOf, expectFocus, expectFocusRing, lastMessageOf, pressUntilFocused, readClipboard, ringColours } from './keyboard-helpers'
import { startSkypeAliceApp } from './keyboard-setup'

let server: SkypeServer
let app: AppInBrowser
let page: Page
let rings: string[]

beforeAll(async () => {
  ;({ server, app } = await startSkypeAliceApp((a) =>
    a.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(a.h.host.url).origin })
  ))
  page = app.page
  await page.locator('.chat-row', { hasText: 'Bob Smith' }).waitFor()
  rings = await ringColours(page)
}, 90_000)

afterAll(async () => {
  await app?.close()
  await server?.close()
})

const theirs = (text: string) => page.locator('.message.theirs', { hasText: text })
const mine = (text: string) => page.locator('.message.mine', { hasText: text })
const composer = () => composerOf(page)
const menu = () => page.getByRole('menu', { name: 'Message actions' })
const menuItem = (action: string) => menu().locator(`[data-action="${action}"]`)
const toBobWire = (predicate: (body: string) => boolean) => server.inbox('bob').find((m) => predicate(m.body))
const atBobsComposer = () => atComposerOf(page, 'Bob Smith')

/** Types into the focused composer and sends; resolves once Bob has it, to its Client-Message-ID. */
async function toBob(text: string): Promise<string> {
  await expectFocus(composer(), 'the composer')
  await page.keyboard.type(text)
  await page.keyboard.press('Enter')
  await expect.poll(() => mine(text).getAttribute('data-status')).toBe('sent')
  return toBobWire((b) => b === text)!.clientMessageId!
}

describe('Skype (MSNP24) message actions from the keyboard', () => {
  it('replies from the toolbar (no React on it) and from the menu only what Skype has; Bob gets the quote', async () => {
    await atBobsComposer()
    server.peer('bob').say('alice', 'Lunch at one?')
    await theirs('Lunch at one?').waitFor()
    const m = await lastMessageOf(page)
    await expectFocusRing(page, 'skype-message', rings)
    await page.keyboard.press('Shift+F10')
    await menu().waitFor()
    expect(await menu().getByRole('menuitem').allTextContents()).toEqual(['Reply', 'Copy text', 'Info', 'Delete…'])
    await expectFocusRing(page, 'skype-message-menu', rings)
    await expectAccessible(page, 'Skype message menu, from the keyboard')
    await page.keyboard.press('Escape')
    await menu().waitFor({ state: 'hidden' })
    await expectFocus(m, 'the message after Esc')

    // Skype has no reactions: the toolbar's first button is Reply.
    await page.keyboard.press('Tab')
    await expectFocus(m.getByRole('button', { name: 'Reply', exact: true }), 'the toolbar’s Reply')
    expect(await m.getByRole('button', { name: 'React', exact: true }).count()).toBe(0)
    await expectFocusRing(page, 'skype-toolbar-reply', rings)
    await expectAccessible(page, 'Skype message toolbar, from the keyboard')
    await page.keyboard.press('Enter')
    await page.locator('.reply-bar', { hasText: 'Lunch at one?' }).waitFor()
    await expectFocus(composer(), 'the composer, replying')
    await page.keyboard.type('Yes, at one')
    await page.keyboard.press('Enter')
    await expect.poll(() => mine('Yes, at one').getAttribute('data-status')).toBe('sent')
    const wire = toBobWire((b) => b.endsWith('Yes, at one'))!
    // spec skype-msnp §11.4: RichText opening with the quote of Bob's message.
    expect(wire.messageType).toBe('RichText')
    expect(wire.body).toMatch(/^<quote author="8:bob\.smith" authorname="Bob Smith" [^>]*>.*Lunch at one\?.*<\/quote>Yes, at one$/)
  })

  it('edits our message from the menu (Skype-EditedId at Bob’s); Esc in the composer cancels an edit', async () => {
    await atBobsComposer()
    const original = await toBob('See you at the caffe')
    const m = await lastMessageOf(page)
    await page.keyboard.press('Shift+F10')
    await menu().waitFor()
    expect(await menu().getByRole('menuitem').allTextContents()).toEqual(['Reply', 'Copy text', 'Edit', 'Info', 'Delete…'])
    await pressUntilFocused(page, 'ArrowDown', menuItem('edit'), 3)
    await page.keyboard.press('Enter')
    await page.locator('.reply-bar', { hasText: 'Editing your message' }).waitFor()
    await expectFocus(composer(), 'the composer, editing')
    await page.keyboard.press('Escape')
    await page.locator('.reply-bar').waitFor({ state: 'hidden' })
    expect(await composer().inputValue()).toBe('')

    const again = await lastMessageOf(page)
    expect(await again.getAttribute('data-message-id')).toBe(await m.getAttribute('data-message-id'))
    await page.keyboard.press('ContextMenu')
    await pressUntilFocused(page, 'ArrowDown', menuItem('edit'), 3)
    await page.keyboard.press('Enter')
    await page.locator('.reply-bar', { hasText: 'Editing your message' }).waitFor()
    await expectFocus(composer(), 'the composer, editing again')
    // The composer is given the message's text as it opens for the edit: select it only once it is there.
    await expect.poll(() => composer().inputValue()).toBe('See you at the caffe')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('See you at the café')
    await page.keyboard.press('Enter')
    await mine('See you at the café').locator('.edited').waitFor()
    await expect.poll(() => toBobWire((b) => b === 'See you at the café')?.editedId).toBe(original)
  })

  it('deletes our message for everyone (an empty edit at Bob’s); Esc on the dialog goes back to the message', async () => {
    await atBobsComposer()
    const original = await toBob('Wrong chat, sorry')
    const m = await lastMessageOf(page)
    await page.keyboard.press('Shift+F10')
    await menu().waitFor()
    await page.keyboard.press('End')
    await expectFocus(menuItem('delete'), 'Delete… (End)')
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Delete this message?' })
    await dialog.waitFor()
    expect(await dialog.getByRole('button').allTextContents()).toEqual(['Cancel', 'Delete for me', 'Delete for everyone'])
    await expectAccessible(page, 'Skype delete dialog, from the keyboard')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await expectFocus(m, 'the message after Esc on the dialog')

    await page.keyboard.press('Shift+F10')
    await menu().waitFor()
    await page.keyboard.press('End')
    await page.keyboard.press('Enter')
    await dialog.waitFor()
    await pressUntilFocused(page, 'Tab', dialog.getByRole('button', { name: 'Delete for everyone' }), 4)
    await expectFocusRing(page, 'skype-delete-for-everyone', rings)
    await page.keyboard.press('Enter')
    await page.locator('.message.mine.deleted', { hasText: 'This message was deleted.' }).waitFor()
    // spec §6.4, E14: deleting is an edit with an empty body.
    await expect.poll(() => server.inbox('bob').some((m) => m.body === '' && m.editedId === original)).toBe(true)
    await expectFocus(m, 'the deleted message')
  })

  it('copies a message’s text, and shows its info from the toolbar’s More actions; Esc goes back to More actions', async () => {
    await atBobsComposer()
    server.peer('bob').say('alice', 'My number is 555 0199')
    await theirs('My number is 555 0199').waitFor()
    const m = await lastMessageOf(page)
    await page.keyboard.press('Shift+F10')
    await menu().waitFor()
    await pressUntilFocused(page, 'ArrowDown', menuItem('copy'), 3)
    await page.keyboard.press('Enter')
    await page.getByRole('status').filter({ hasText: 'Copied.' }).waitFor()
    expect(await readClipboard(page)).toBe('My number is 555 0199')
    await expectFocus(m, 'the message after copying')

    const more = m.getByRole('button', { name: 'More actions' })
    await pressUntilFocused(page, 'Tab', more, 3)
    await page.keyboard.press('Enter')
    await pressUntilFocused(page, 'ArrowDown', menuItem('info'), 3)
    await page.keyboard.press('Enter')
    const info = page.getByRole('dialog', { name: 'Message info' })
    await info.waitFor()
    expect((await info.locator('dt').allTextContents())[0]).toBe('Received')
    await expectAccessible(page, 'Skype message info, from the keyboard')
    await expectFocus(info.getByRole('button', { name: 'Close' }), 'the info’s Close')
    await expectFocusRing(page, 'skype-info-close', rings)
    await page.keyboard.press('Escape')
    await info.waitFor({ state: 'hidden' })
    await expectFocus(more, 'More actions after Esc on the info')
    expect(app.errors).toEqual([])
  })
})
