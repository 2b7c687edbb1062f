// The chat info panel (issue 12 §5), in Chromium against the headless host with two fake
// networks: opened from the chat header's "Chat info" button on a direct chat (the contact,
// its readable id) and on a group (subject, members named from the account's contacts),
// axe clean, and Esc closes it with focus back on the button.

import { join } from 'node:path'
import type { Browser } from 'playwright'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DATABASE_FILE } from '../../src/main/core/profile'
import { Store } from '../../src/main/core/store'
import { expectAccessible } from '../helpers/axe'
import { launchChromium, screenshot } from '../helpers/browser'
import { startUi, type Ui } from '../helpers/ui'

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

const infoButton = () => ui.page.locator('.chat-header').getByRole('button', { name: 'Chat info' })
const panel = () => ui.page.getByRole('complementary', { name: 'Chat info' })
const isFocused = () => infoButton().evaluate((el) => (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el)

describe('the chat info panel', () => {
  it('shows a direct chat’s contact and its readable id; Esc closes it and focus returns to the button', async () => {
    await ui.page.locator('.chat-row', { hasText: 'Bob' }).click()
    await expect.poll(() => ui.page.locator('.chat-header h1').textContent()).toBe('Bob')
    await infoButton().focus()
    await ui.page.keyboard.press('Enter')
    await expect.poll(() => panel().isVisible()).toBe(true)
    await expect.poll(() => infoButton().getAttribute('aria-expanded')).toBe('true')
    await expect.poll(() => panel().locator('.chat-info-name').textContent()).toBe('Bob')
    // "bob@c.us" has no digits before the @, so its readable form is the local part.
    await expect.poll(() => panel().locator('dd').first().textContent()).toBe('bob')
    await expect.poll(() => panel().textContent()).not.toContain('Not in your contacts')
    await screenshot(ui.page, 'chat-info-01-direct')
    await expectAccessible(ui.page, 'chat info, direct chat')
    await ui.page.keyboard.press('Escape')
    await expect.poll(() => panel().count()).toBe(0)
    await expect.poll(isFocused).toBe(true)
    await expect.poll(() => infoButton().getAttribute('aria-expanded')).toBe('false')
  })

  it('shows a group’s subject and its members, named from contacts; Esc closes it', async () => {
    const { dataDir } = await ui.h.host.core.handlers.getAppInfo()
    // The fake network lists no members, so they are written as a Connector's ChatInfo would leave them.
    const side = Store.open(join(dataDir, DATABASE_FILE))
    try {
      side.chats.upsert(ui.accounts.whatsapp, {
        remoteId: 'team@g.us',
        kind: 'group',
        title: 'Team',
        members: [{ remoteId: 'carol@c.us', name: 'Carol' }, { remoteId: 'bob@c.us', name: 'bobby' }, { remoteId: '15550100@c.us' }]
      })
    } finally {
      side.close()
    }
    await ui.page.locator('.chat-row', { hasText: 'Team' }).click()
    await expect.poll(() => ui.page.locator('.chat-header h1').textContent()).toBe('Team')
    await infoButton().click()
    await expect.poll(() => panel().locator('.chat-info-name').textContent()).toBe('Team')
    await expect.poll(() => panel().getByRole('heading', { level: 3 }).textContent()).toBe('3 members')
    // Bob is a contact of the account: his contact name wins over the group's; the phone-number id reads as a number.
    await expect.poll(() => panel().locator('.chat-info-members li > span[dir]').allTextContents()).toEqual(['+15550100', 'Bob', 'Carol'])
    await screenshot(ui.page, 'chat-info-02-group')
    await expectAccessible(ui.page, 'chat info, group')
    await panel().getByRole('button', { name: 'Close chat info' }).focus()
    await ui.page.keyboard.press('Escape')
    await expect.poll(() => panel().count()).toBe(0)
    await expect.poll(isFocused).toBe(true)
  })
})
