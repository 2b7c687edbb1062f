// The chat list a person works in (issue 12 §3, §5), in Chromium against the headless host
// with two fake networks: the search box, the row menu by mouse and keyboard, avatars with
// initials, and axe on each state.

import type { Browser } from 'playwright'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { expectAccessible } from '../helpers/axe'
import { launchChromium, screenshot } from '../helpers/browser'
import { chatTitles, startUi, type Ui } from '../helpers/ui'

let browser: Browser
let ui: Ui
beforeAll(async () => {
  browser = await launchChromium()
}, 60_000)
afterAll(async () => browser?.close())
beforeEach(async () => {
  ui = await startUi({ browser })
}, 60_000)
afterEach(async () => {
  expect(ui.errors).toEqual([])
  await ui?.close()
})

const row = (title: string) => ui.page.locator('.chat-row', { hasText: title })
const stored = async (title: string) => (await ui.h.host.core.handlers.listInbox({ filter: { kind: 'title', query: title }, limit: 10 })).chats[0]!

describe('the chat list', () => {
  it('filters by name from the search box (Ctrl+Shift+F), Enter opens the first match, Esc clears', async () => {
    await ui.page.locator('body').click({ position: { x: 700, y: 400 } })
    await ui.page.keyboard.press('Control+Shift+F')
    const box = ui.page.getByRole('searchbox', { name: 'Search chats' })
    await expect
      .poll(() => box.evaluate((el) => (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el))
      .toBe(true)
    await ui.page.keyboard.type('e')
    await expect.poll(async () => (await chatTitles(ui.page)).sort()).toEqual(['Eve', 'Team'])
    await ui.page.keyboard.type('v')
    await expect.poll(() => chatTitles(ui.page)).toEqual(['Eve'])
    await screenshot(ui.page, 'chat-list-01-search')
    await expectAccessible(ui.page, 'chat list search')
    await ui.page.keyboard.press('Enter')
    await expect.poll(() => ui.page.locator('.chat-header h1').textContent()).toBe('Eve')
    await box.focus()
    await ui.page.keyboard.type('zzz')
    await expect.poll(() => ui.page.locator('.chat-scroller .empty').textContent()).toBe('No chats match “evzzz”.')
    await ui.page.keyboard.press('Escape')
    await expect.poll(async () => (await chatTitles(ui.page)).length).toBe(4)
  })

  it('pins, mutes and archives from the row menu (right-click), stored by Core', async () => {
    await row('Dan').click({ button: 'right' })
    const menu = ui.page.getByRole('menu', { name: 'Actions for Dan' })
    await expect.poll(() => menu.getByRole('menuitem').allTextContents()).toEqual(['Pin', 'Mute', 'Archive', 'Mark as unread'])
    await screenshot(ui.page, 'chat-list-02-menu')
    await expectAccessible(ui.page, 'chat list menu')
    await menu.getByRole('menuitem', { name: 'Pin' }).click()
    await expect.poll(async () => (await chatTitles(ui.page))[0]).toBe('Dan')
    await expect.poll(async () => (await stored('Dan')).pinned).toBe(true)

    await row('Dan').click({ button: 'right' })
    await ui.page.getByRole('menuitem', { name: 'Mute' }).click()
    await expect.poll(() => row('Dan').getByRole('img', { name: 'Muted' }).count()).toBe(1)
    await expect.poll(async () => (await stored('Dan')).muted).toBe(true)

    await row('Dan').click({ button: 'right' })
    await ui.page.getByRole('menuitem', { name: 'Mark as unread' }).click()
    await expect.poll(async () => (await stored('Dan')).unread).toBe(1)

    await row('Bob').click({ button: 'right' })
    await ui.page.getByRole('menuitem', { name: 'Archive' }).click()
    await expect.poll(() => chatTitles(ui.page)).not.toContain('Bob')
    await ui.page.getByRole('button', { name: 'Archived', exact: true }).click()
    await expect.poll(() => chatTitles(ui.page)).toEqual(['Bob'])
    await row('Bob').click({ button: 'right' })
    await expect.poll(() => ui.page.getByRole('menuitem').allTextContents()).toContain('Unarchive')
  })

  it('opens the row menu from the keyboard (Shift+F10), walks it with arrows, and marks a chat read', async () => {
    ui.net.sendFromContact('alice-line', 'u-eve', 'are you coming?')
    await expect.poll(() => ui.page.title()).toBe('(1) Junction')
    await row('Eve').focus()
    await ui.page.keyboard.press('Shift+F10')
    const menu = ui.page.getByRole('menu', { name: 'Actions for Eve' })
    await expect.poll(() => menu.getByRole('menuitem').allTextContents()).toEqual(['Pin', 'Mute', 'Archive', 'Mark as read'])
    await ui.page.keyboard.press('End')
    await ui.page.keyboard.press('Enter')
    await expect.poll(() => ui.page.title()).toBe('Junction')
    await expect.poll(async () => (await stored('Eve')).unread).toBe(0)
    // Focus went back to the row it came from, so the keyboard user is where they were.
    await expect
      .poll(() => row('Eve').evaluate((el) => (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el))
      .toBe(true)
    await ui.page.keyboard.press('ContextMenu')
    await expect.poll(() => menu.count()).toBe(1)
    await ui.page.keyboard.press('Escape')
    await expect.poll(() => menu.count()).toBe(0)
  })

  it('shows an avatar with initials for every chat and in the chat header', async () => {
    await expect.poll(() => ui.page.locator('.chat-row .avatar').count()).toBe(4)
    expect((await row('Team').locator('.avatar').textContent())?.trim()).toBe('T')
    await row('Bob').click()
    expect((await ui.page.locator('.chat-header .avatar').textContent())?.trim()).toBe('B')
    await screenshot(ui.page, 'chat-list-03-avatars')
    await expectAccessible(ui.page, 'avatars')
  })

  it('finds a contact of any account in Ctrl+K ("new chat") and opens the chat with them', async () => {
    await ui.page.locator('body').click({ position: { x: 700, y: 400 } })
    await ui.page.keyboard.press('Control+K')
    await ui.page.keyboard.type('dan')
    const option = ui.page.getByRole('option', { name: /Dan.*Chat · Alice L/ })
    await expect.poll(() => option.count()).toBe(1)
    await expect.poll(() => ui.page.locator('.palette-hint').textContent()).not.toBe('Searching…')
    await screenshot(ui.page, 'chat-list-04-new-chat')
    await expectAccessible(ui.page, 'new chat')
    await option.click()
    await expect.poll(() => ui.page.locator('.chat-header h1').textContent()).toBe('Dan')
  })
})
