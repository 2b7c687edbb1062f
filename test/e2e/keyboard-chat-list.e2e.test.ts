// Issue 12 §5 from the keyboard alone, in Chromium against the Skype (MSNP24) reference
// server: the chat-list search box (Ctrl+Shift+F, ↓, Enter, Esc), a focused row's menu
// (Shift+F10, the menu key: pin, mute, archive, mark unread), each stored by Core and shown in
// the list, with focus back on the row, or on the list when the row left it; the chat search
// (Ctrl+F) and "new chat" (Ctrl+K) closed with Esc give focus back. axe on each open surface.

import type { Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppInBrowser } from '../helpers/app'
import { expectAccessible } from '../helpers/axe'
import { chatTitles } from '../helpers/ui'
import type { SkypeServer } from '../servers/skype/server'
import { atComposerOf, composerOf, expectFocus, expectFocusRing, focusOf, pressUntilFocused, ringColours } from './keyboard-helpers'
import { startSkypeAliceApp } from './keyboard-setup'

let server: SkypeServer
let app: AppInBrowser
let page: Page
let rings: string[]

beforeAll(async () => {
  ;({ server, app } = await startSkypeAliceApp())
  page = app.page
  server.peer('carol').say('alice', 'Are you free on Friday?')
  server.peer('bob').createThread('Book club', ['alice', 'carol'])
  for (const title of ['Bob Smith', 'Carol Jones', 'Book club']) await row(title).waitFor()
  rings = await ringColours(page)
}, 90_000)

afterAll(async () => {
  await app?.close()
  await server?.close()
})

function row(title: string) {
  return page.locator('.chat-row').filter({ has: page.locator('.chat-title', { hasText: new RegExp(`^${title}$`) }) })
}
const searchBox = () => page.getByRole('searchbox', { name: 'Search chats' })
const rowMenu = (title: string) => page.getByRole('menu', { name: `Actions for ${title}` })
const stored = async (title: string) => (await app.h.host.core.handlers.listInbox({ filter: { kind: 'title', query: title }, limit: 10 })).chats[0]!

/** Focus on the row of `title` in the whole list: the search box emptied, ↓ to the first row, Tab to the row. */
async function focusRow(title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+F')
  await expectFocus(searchBox(), 'the chat-list search')
  await page.keyboard.press('Control+A')
  await page.keyboard.press('Backspace')
  await page.keyboard.press('ArrowDown')
  if (!(await row(title).evaluateAll((els) => els.length > 0))) throw new Error(`no row ${title}`)
  await expectFocus(page.locator('.chat-row').first(), 'the first row')
  const first = (await focusOf(page))?.chatId
  if (first !== (await row(title).getAttribute('data-chat-id'))) await pressUntilFocused(page, 'Tab', row(title), 6)
}

describe('the chat list from the keyboard', () => {
  it('finds a chat from the search box (type, ↓, Enter opens it at the composer); Esc clears the search', async () => {
    await page.keyboard.press('Control+Shift+F')
    await expectFocus(searchBox(), 'the chat-list search')
    await page.keyboard.type('car')
    await expect.poll(() => chatTitles(page)).toEqual(['Carol Jones'])
    await expectFocusRing(page, 'chat-list-search', rings)
    await page.keyboard.press('ArrowDown')
    await expectFocus(row('Carol Jones'), 'Carol’s row')
    await expectFocusRing(page, 'chat-list-row', rings)
    await expectAccessible(page, 'chat-list search, from the keyboard')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.chat-header h1').textContent()).toBe('Carol Jones')
    await expectFocus(composerOf(page), 'the composer of the chat opened')

    await page.keyboard.press('Control+Shift+F')
    await expectFocus(searchBox(), 'the chat-list search again')
    expect(await searchBox().inputValue()).toBe('car')
    await page.keyboard.press('Escape')
    await expect.poll(() => searchBox().inputValue()).toBe('')
    await expect.poll(async () => (await chatTitles(page)).length).toBe(3)
    await expectFocus(searchBox(), 'the search box after Esc')
  })

  it('pins, mutes and marks a chat unread from its row’s menu (Shift+F10, the menu key); Esc closes it; focus stays on the row', async () => {
    await focusRow('Bob Smith')
    await page.keyboard.press('Shift+F10')
    const menu = rowMenu('Bob Smith')
    await menu.waitFor()
    // Bob's welcome is unread.
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Pin', 'Mute', 'Archive', 'Mark as read'])
    await expectFocus(menu.getByRole('menuitem', { name: 'Pin' }), 'the menu’s first item')
    await expectFocusRing(page, 'chat-row-menu', rings)
    await expectAccessible(page, 'chat-row menu, from the keyboard')
    await page.keyboard.press('Escape')
    await menu.waitFor({ state: 'hidden' })
    await expectFocus(row('Bob Smith'), 'the row after Esc')

    await page.keyboard.press('Shift+F10')
    await page.keyboard.press('Enter')
    await row('Bob Smith').getByRole('img', { name: 'Pinned' }).waitFor()
    await expect.poll(async () => (await chatTitles(page))[0]).toBe('Bob Smith')
    await expect.poll(async () => (await stored('Bob Smith')).pinned).toBe(true)
    await expectFocus(row('Bob Smith'), 'the row, pinned')

    await page.keyboard.press('ContextMenu')
    await pressUntilFocused(page, 'ArrowDown', menu.getByRole('menuitem', { name: 'Mute' }), 1)
    await page.keyboard.press('Enter')
    await row('Bob Smith').getByRole('img', { name: 'Muted' }).waitFor()
    await expect.poll(async () => (await stored('Bob Smith')).muted).toBe(true)
    await expectFocus(row('Bob Smith'), 'the row, muted')

    await page.keyboard.press('Shift+F10')
    await page.keyboard.press('End')
    await expectFocus(menu.getByRole('menuitem', { name: 'Mark as read' }), 'Mark as read (End)')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await stored('Bob Smith')).unread).toBe(0)
    await expect.poll(() => row('Bob Smith').locator('.unread-badge').count()).toBe(0)
    await expectFocus(row('Bob Smith'), 'the row, read')
    await page.keyboard.press('Shift+F10')
    await page.keyboard.press('End')
    await expectFocus(menu.getByRole('menuitem', { name: 'Mark as unread' }), 'Mark as unread (End)')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await stored('Bob Smith')).unread).toBe(1)
    await row('Bob Smith').locator('.unread-badge', { hasText: /^1$/ }).waitFor()
    await expectFocus(row('Bob Smith'), 'the row, unread')

    await page.keyboard.press('Shift+F10')
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Unpin', 'Unmute', 'Archive', 'Mark as read'])
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await stored('Bob Smith')).pinned).toBe(false)
    await page.keyboard.press('Shift+F10')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await stored('Bob Smith')).muted).toBe(false)
  })

  it('archives a chat from its row’s menu, focus goes to the next row, and unarchives it from the Archived filter', async () => {
    await focusRow('Carol Jones')
    const order = await chatTitles(page)
    const next = order[order.indexOf('Carol Jones') + 1] ?? order[order.indexOf('Carol Jones') - 1]!
    await page.keyboard.press('Shift+F10')
    await pressUntilFocused(page, 'ArrowDown', rowMenu('Carol Jones').getByRole('menuitem', { name: 'Archive' }), 2)
    await page.keyboard.press('Enter')
    await expect.poll(() => chatTitles(page)).not.toContain('Carol Jones')
    await expect.poll(async () => (await stored('Carol Jones')).archived).toBe(true)
    // The row is gone from the list: focus is on the row that took its place, not lost.
    await expectFocus(row(next), `the next row (${next})`)

    const archivedFilter = page.getByRole('button', { name: 'Archived', exact: true })
    await pressUntilFocused(page, 'Shift+Tab', archivedFilter, 6)
    await page.keyboard.press('Enter')
    await expect.poll(() => chatTitles(page)).toEqual(['Carol Jones'])
    await page.keyboard.press('Tab')
    await expectFocus(row('Carol Jones'), 'the archived row')
    await page.keyboard.press('Shift+F10')
    await pressUntilFocused(page, 'ArrowDown', rowMenu('Carol Jones').getByRole('menuitem', { name: 'Unarchive' }), 2)
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await stored('Carol Jones')).archived).toBe(false)
    // The last archived row left: with no row to go to, focus goes to the search box, not nowhere.
    await expectFocus(searchBox(), 'the search box, the list being empty')
    await pressUntilFocused(page, 'Tab', page.getByRole('button', { name: 'All', exact: true }), 1)
    await page.keyboard.press('Enter')
    await expect.poll(() => chatTitles(page)).toContain('Carol Jones')
  })

  it('shows the focus rings in the dark theme too: a row, its menu, a message', async () => {
    await app.h.host.core.handlers.updateSettings({ theme: 'dark' })
    try {
      await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark')
      const dark = await ringColours(page)
      expect(dark).not.toEqual(rings)
      await focusRow('Book club')
      await expectFocusRing(page, 'dark-chat-row', dark)
      await page.keyboard.press('Shift+F10')
      await expectFocusRing(page, 'dark-chat-row-menu', dark)
      await page.keyboard.press('Escape')
      await expectFocus(row('Book club'), 'the row after Esc')
      await page.keyboard.press('Enter')
      await expectFocus(composerOf(page), 'the composer of Book club')
      await pressUntilFocused(page, 'Shift+Tab', page.getByRole('log', { name: 'Messages' }), 30)
      await page.keyboard.press('ArrowUp')
      await expectFocusRing(page, 'dark-message', dark)
      await expectAccessible(page, 'a focused message in the dark theme')
    } finally {
      await app.h.host.core.handlers.updateSettings({ theme: 'light' })
    }
  })

  it('closes the chat search (Ctrl+F) and new chat (Ctrl+K) with Esc, focus back on the composer', async () => {
    await atComposerOf(page, 'Bob Smith')
    await page.keyboard.press('Control+F')
    const inChat = page.getByRole('searchbox', { name: 'Search in this chat' })
    await expectFocus(inChat, 'the chat search')
    await expectAccessible(page, 'chat search, from the keyboard')
    await page.keyboard.press('Escape')
    await inChat.waitFor({ state: 'hidden' })
    await expectFocus(composerOf(page), 'the composer after Esc on the chat search')

    await page.keyboard.press('Control+K')
    const palette = page.getByRole('dialog')
    await palette.waitFor()
    await page.keyboard.type('carol')
    await expectAccessible(page, 'new chat, from the keyboard')
    await page.keyboard.press('Escape')
    await palette.waitFor({ state: 'hidden' })
    await expectFocus(composerOf(page), 'the composer after Esc on new chat')
    expect(app.errors).toEqual([])
  })
})
