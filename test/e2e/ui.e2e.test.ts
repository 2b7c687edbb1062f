// The inbox a person lives in, driven from the keyboard and mouse in Chromium, with two
// accounts on two (fake) networks: filters, pin/mute/archive, drafts, the switcher and
// search, notifications, settings and export, account health, and accessibility.

import { readFileSync } from 'node:fs'
import type { Browser } from 'playwright'
import type { ConnectorEvent } from '../../src/main/networks/connector'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { expectAccessible } from '../helpers/axe'
import { launchChromium, screenshot } from '../helpers/browser'
import { eventually } from '../helpers/events'
import { chatTitles, startUi, type Ui } from '../helpers/ui'

// Each test gets its own host, profile, accounts and page (one browser is shared), so no test
// depends on what another did or on the order they run in.
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

const chatIdOf = async (title: string): Promise<string> =>
  (await ui.h.host.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 10 })).chats.find((c) => c.title === title)!.id

const row = (title: string) => ui.page.locator('.chat-row', { hasText: title })

describe('the unified inbox', () => {
  it('shows every chat of both accounts, newest first, each with its network mark, and passes axe', async () => {
    expect(await chatTitles(ui.page)).toHaveLength(4)
    const networks = await ui.page
      .locator('.chat-row .network-mark')
      .evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(name: string): string | null }).getAttribute('aria-label')))
    expect(new Set(networks)).toEqual(new Set(['WhatsApp', 'LINE']))
    expect(await ui.page.locator('.rail-account').count()).toBe(2)
    await screenshot(ui.page, 'ui-01-inbox')
    await expectAccessible(ui.page, 'screen 1')
  })

  it('counts unread in the window title and filters by unread and by account (Ctrl+1…9)', async () => {
    ui.net.sendFromContact('alice-line', 'u-eve', 'are you coming?')
    await expect.poll(() => ui.page.title()).toBe('(1) Junction')
    expect((await chatTitles(ui.page))[0]).toBe('Eve')
    await ui.page.getByRole('button', { name: 'Unread', exact: true }).click()
    await expect.poll(() => chatTitles(ui.page)).toEqual(['Eve'])
    await ui.page.getByRole('button', { name: 'All', exact: true }).click()
    await ui.page.keyboard.press('Control+2')
    await expect.poll(() => chatTitles(ui.page)).toEqual(['Eve', 'Dan'])
    await ui.page.keyboard.press('Control+1')
    await expect.poll(async () => (await chatTitles(ui.page)).sort()).toEqual(['Bob', 'Team'])
    await ui.page.getByRole('button', { name: 'All accounts' }).click()
    await expect.poll(async () => (await chatTitles(ui.page)).length).toBe(4)
  })

  it('moves between chats with Alt+↑/↓ and reads them', async () => {
    ui.net.sendFromContact('alice-line', 'u-eve', 'are you coming?')
    await expect.poll(() => ui.page.title()).toBe('(1) Junction')
    await ui.page.locator('body').click({ position: { x: 700, y: 400 } })
    await ui.page.keyboard.press('Alt+ArrowDown')
    await expect.poll(() => ui.page.locator('.chat-header h1').textContent()).toBe('Eve')
    await expect.poll(() => ui.page.title()).toBe('Junction')
    await ui.page.keyboard.press('Alt+ArrowDown')
    const second = (await chatTitles(ui.page))[1]
    await expect.poll(() => ui.page.locator('.chat-header h1').textContent()).toBe(second)
    await ui.page.keyboard.press('Alt+ArrowUp')
    await expect.poll(() => ui.page.locator('.chat-header h1').textContent()).toBe('Eve')
  })

  it('names who wrote over each run of messages in a group, but not in a one-to-one chat', async () => {
    await row('Team').click()
    await ui.page.locator('.message.theirs', { hasText: 'standup at 10' }).waitFor()
    expect(await ui.page.locator('.message .sender').allTextContents()).toEqual(['Team'])
    await row('Bob').click()
    await ui.page.locator('.message.theirs', { hasText: 'the quarterly report is ready' }).waitFor()
    // Bob is the only other person here: his name over his bubble would say nothing new.
    expect(await ui.page.locator('.message .sender').count()).toBe(0)
  })

  it('pins, mutes and archives, kept locally', async () => {
    await row('Team').click()
    await ui.page.getByRole('button', { name: 'Pin', exact: true }).click()
    await expect.poll(async () => (await chatTitles(ui.page))[0]).toBe('Team')
    await expect.poll(() => row('Team').getByRole('img', { name: 'Pinned' }).count()).toBe(1)
    await row('Bob').click()
    await ui.page.getByRole('button', { name: 'Mute', exact: true }).click()
    await expect.poll(() => row('Bob').getByRole('img', { name: 'Muted' }).count()).toBe(1)
    await row('Dan').click()
    await expect.poll(() => ui.page.locator('.chat-header h1').textContent()).toBe('Dan')
    ui.net.sendFromContact('alice@c.us', 'bob@c.us', 'muted chats do not count')
    await expect.poll(() => row('Bob').locator('.unread-badge').textContent()).toBe('1')
    expect(await ui.page.title()).toBe('Junction')
    await row('Team').click()
    await ui.page.getByRole('button', { name: 'Archive', exact: true }).click()
    await expect.poll(() => chatTitles(ui.page)).not.toContain('Team')
    await ui.page.getByRole('button', { name: 'Archived', exact: true }).click()
    await expect.poll(() => chatTitles(ui.page)).toEqual(['Team'])
    await ui.page.getByRole('button', { name: 'All', exact: true }).click()
    const stored = await ui.h.host.core.handlers.listInbox({ filter: { kind: 'archived' }, limit: 5 })
    expect(stored.chats.map((c) => ({ title: c.title, pinned: c.pinned, archived: c.archived }))).toEqual([{ title: 'Team', pinned: true, archived: true }])
    await screenshot(ui.page, 'ui-02-pin-mute-archive')
  })

  it('keeps a draft per chat when switching, and shows it in the inbox', async () => {
    await row('Dan').click()
    const composer = ui.page.getByRole('textbox', { name: 'Message' })
    await composer.fill('half a thought')
    await row('Eve').click()
    await expect.poll(() => composer.inputValue()).toBe('')
    await expect.poll(() => row('Dan').locator('.chat-preview').textContent()).toBe('✎ half a thought')
    await row('Dan').click()
    await expect.poll(() => composer.inputValue()).toBe('half a thought')
    await composer.press('Enter')
    await expect.poll(() => ui.page.locator('.message.mine', { hasText: 'half a thought' }).getAttribute('data-status')).toBe('sent')
  })
})

describe('search and navigation', () => {
  it('Ctrl+K finds a word on every network with snippets and jumps to the message', async () => {
    // Opening Bob loads his history (the sync brought only each chat's last message).
    await row('Bob').click()
    await ui.page.locator('.message', { hasText: 'the quarterly report is ready' }).waitFor()
    await row('Dan').click()
    await ui.page.keyboard.press('Control+k')
    const input = ui.page.getByRole('combobox', { name: 'Search chats and messages' })
    await input.fill('report')
    const options = ui.page.getByRole('option')
    await expect.poll(() => ui.page.locator('.palette-option mark').count()).toBeGreaterThanOrEqual(2)
    const marks = await ui.page.locator('.palette-option mark').allTextContents()
    expect(marks.map((m) => m.toLowerCase())).toContain('report')
    const networks = await ui.page
      .locator('.palette-option .network-mark')
      .evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(name: string): string | null }).getAttribute('aria-label')))
    expect(new Set(networks)).toEqual(new Set(['WhatsApp', 'LINE']))
    await screenshot(ui.page, 'ui-03-palette')
    await expectAccessible(ui.page, 'screen 2')
    const target = options.filter({ hasText: 'Bob' }).first()
    await target.hover()
    await input.press('Enter')
    await expect.poll(() => ui.page.locator('.chat-header h1').textContent()).toBe('Bob')
    await expect.poll(() => ui.page.locator('.virtual-row.focused').textContent()).toContain('the quarterly report is ready')
  })

  it('Ctrl+K also switches chats by title, and Esc closes it', async () => {
    await ui.page.keyboard.press('Control+k')
    await ui.page.getByRole('combobox').fill('ev')
    await expect.poll(() => ui.page.getByRole('option').first().textContent()).toContain('Eve')
    await ui.page.keyboard.press('Escape')
    await expect.poll(() => ui.page.locator('dialog.palette').count()).toBe(0)
    await ui.page.keyboard.press('Control+k')
    await ui.page.getByRole('combobox').fill('ev')
    await expect.poll(() => ui.page.getByRole('option').first().textContent()).toContain('Eve')
    await ui.page.keyboard.press('Enter')
    await expect.poll(() => ui.page.locator('.chat-header h1').textContent()).toBe('Eve')
  })

  it('Ctrl+F searches within the open chat, and Esc closes the search', async () => {
    await row('Bob').click()
    await ui.page.keyboard.press('Control+f')
    const box = ui.page.getByRole('searchbox', { name: 'Search in this chat' })
    await box.fill('thanks')
    await expect.poll(() => ui.page.locator('.chat-search-count').textContent()).toBe('1 match')
    await box.press('Escape')
    await expect.poll(() => box.count()).toBe(0)
  })
})

describe('notifications', () => {
  it('shows one for a new message elsewhere, hides the text in privacy mode, and a click opens the chat', async () => {
    await ui.h.host.core.handlers.updateChat({ chatId: await chatIdOf('Bob'), muted: true })
    await expect.poll(() => row('Bob').getByRole('img', { name: 'Muted' }).count()).toBe(1)
    await row('Dan').click()
    ui.net.sendFromContact('alice-line', 'u-eve', 'lunch at noon?')
    await expect.poll(async () => (await ui.notifications()).at(-1)).toEqual({ title: 'Eve · LINE', body: 'lunch at noon?' })
    const before = (await ui.notifications()).length
    ui.net.sendFromContact('alice@c.us', 'bob@c.us', 'muted, so silent')
    await expect.poll(() => row('Bob').locator('.chat-preview').textContent()).toBe('muted, so silent')
    expect((await ui.notifications()).length).toBe(before)

    await ui.page.getByRole('button', { name: 'Settings' }).click()
    await ui.page.getByRole('tab', { name: 'Notifications' }).click()
    await ui.page.getByLabel('Show the sender and message text in notifications').uncheck()
    await ui.page.keyboard.press('Escape')
    ui.net.sendFromContact('alice-line', 'u-eve', 'secret plans')
    await expect.poll(async () => (await ui.notifications()).at(-1)).toEqual({ title: 'Junction', body: 'New message' })
    await ui.page.evaluate(() => (globalThis as unknown as { __lastNotification: { onclick?: () => void } }).__lastNotification.onclick?.())
    await expect.poll(() => ui.page.locator('.chat-header h1').textContent()).toBe('Eve')
    await expect.poll(() => ui.page.locator('.virtual-row.focused').textContent()).toContain('secret plans')
  })
})

describe('settings', () => {
  it('switches the theme, passes axe on every tab, and exports the whole history to JSON and HTML', async () => {
    await ui.page.getByRole('button', { name: 'Settings' }).click()
    for (const tab of ['Accounts', 'Notifications', 'Appearance', 'Advanced']) {
      await ui.page.getByRole('tab', { name: tab }).click()
      await expectAccessible(ui.page, 'screen 3')
    }
    await ui.page.getByRole('tab', { name: 'Appearance' }).click()
    await ui.page.getByLabel('Dark').check()
    await expect
      .poll(() =>
        ui.page.evaluate(
          () => (globalThis as unknown as { document: { documentElement: { dataset: { theme?: string } } } }).document.documentElement.dataset.theme
        )
      )
      .toBe('dark')
    await expectAccessible(ui.page, 'screen 4')
    await screenshot(ui.page, 'ui-04-settings-dark')
    await ui.page.getByRole('tab', { name: 'Advanced' }).click()
    const [download] = await Promise.all([ui.page.waitForEvent('download'), ui.page.getByRole('button', { name: 'Export as JSON' }).click()])
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as { accounts: { network: string; chats: { messages: unknown[] }[] }[] }
    expect(exported.accounts.map((a) => a.network).sort()).toEqual(['line', 'whatsapp'])
    // Every message this profile holds.
    const stored = (ui.h.host.core as unknown as { o: { store: { db: { prepare(q: string): { get(): { n: number } } } } } }).o.store.db
      .prepare('SELECT count(*) AS n FROM messages')
      .get().n
    expect(exported.accounts.flatMap((a) => a.chats.flatMap((c) => c.messages)).length).toBe(stored)
    expect(stored).toBeGreaterThanOrEqual(4)
    const [html] = await Promise.all([ui.page.waitForEvent('download'), ui.page.getByRole('button', { name: 'Export as HTML' }).click()])
    expect(readFileSync(await html.path(), 'utf8')).toContain('see you at lunch')
    await ui.page.getByRole('tab', { name: 'Appearance' }).click()
    await ui.page.getByLabel('Same as the system').check()
    const theme = (): Promise<string | undefined> =>
      ui.page.evaluate(
        () => (globalThis as unknown as { document: { documentElement: { dataset: { theme?: string } } } }).document.documentElement.dataset.theme
      )
    await expect.poll(theme).toBe('light')
    // "Same as the system" follows the system as it changes.
    await ui.page.emulateMedia({ colorScheme: 'dark' })
    await expect.poll(theme).toBe('dark')
    await ui.page.emulateMedia({ colorScheme: 'light' })
    await expect.poll(theme).toBe('light')
    await ui.page.keyboard.press('Escape')
  })
})

describe('account health', () => {
  it('shows reconnecting with a countdown, then online again with nothing lost', async () => {
    await row('Bob').click()
    ui.net.reachable = false
    ui.net.drop('alice@c.us')
    const rail = ui.page.locator(`.rail-account[data-account-id="${ui.accounts.whatsapp}"]`)
    await expect.poll(() => rail.getAttribute('data-state')).toBe('reconnecting')
    await expect.poll(() => ui.page.locator('.offline-notice').textContent()).toMatch(/Reconnecting in \d+ s/)
    const composer = ui.page.getByRole('textbox', { name: 'Message' })
    await composer.fill('written while offline')
    await composer.press('Enter')
    await expect.poll(() => ui.page.locator('.message.mine', { hasText: 'written while offline' }).getAttribute('data-status')).toBe('pending')
    ui.net.sendFromContact('alice@c.us', 'bob@c.us', 'sent to you while you were away')
    await screenshot(ui.page, 'ui-05-reconnecting')
    ui.net.reachable = true
    await expect.poll(() => rail.getAttribute('data-state'), { timeout: 15_000 }).toBe('online')
    await expect.poll(() => ui.page.locator('.message.mine', { hasText: 'written while offline' }).getAttribute('data-status')).toBe('sent')
    await expect.poll(() => ui.page.locator('.message', { hasText: 'sent to you while you were away' }).count()).toBe(1)
    expect(ui.net.deliveries.filter((d) => d.text === 'written while offline')).toHaveLength(1)
  })

  it('says when an account needs a login, and "Log in again" brings it back', async () => {
    ui.net.revokeTokens('alice-line')
    const attention = ui.page.locator('.attention')
    await expect.poll(() => attention.textContent()).toContain('Needs login')
    await expectAccessible(ui.page, 'screen 5')
    await attention.getByRole('button', { name: 'Log in again' }).click()
    await ui.page.getByRole('button', { name: 'Scan a QR code with your phone' }).click()
    const qr = ui.page.locator('canvas.qr')
    await qr.waitFor()
    const { readQr } = await import('../helpers/browser')
    ui.net.scan(await readQr(qr), 'alice-line')
    await ui.page.getByText('Account added').waitFor()
    await expect.poll(() => attention.count()).toBe(0)
    await expect.poll(() => ui.page.locator(`.rail-account[data-account-id="${ui.accounts.line}"]`).getAttribute('data-state')).toBe('online')
    expect(await ui.page.locator('.rail-account').count()).toBe(2)
  })

  it('shows a received photo inline and in a viewer that Esc closes', async () => {
    await row('Bob').click()
    ui.net.sendFromContact('alice@c.us', 'bob@c.us', '', { kind: 'image' })
    const photo = ui.page.getByRole('button', { name: 'Open the photo' })
    await photo.waitFor()
    // Served by the host from the media cache: no base64 through the Api, no blob URL to leak.
    await expect.poll(() => ui.page.locator('.bubble img.photo').getAttribute('src')).toMatch(/^\/media\/\d+\?token=/)
    await expect.poll(() => ui.page.locator('.bubble img.photo').evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth)).toBe(1)
    await photo.click()
    await ui.page.locator('dialog.image-viewer img').waitFor()
    await expectAccessible(ui.page, 'screen 6')
    await ui.page.keyboard.press('Escape')
    await expect.poll(() => ui.page.locator('dialog.image-viewer').count()).toBe(0)
  })

  it('holds a photo’s place with the blurred preview the message carried until the photo itself is loaded', async () => {
    // A real JPEG preview, as WhatsApp puts in its media messages (whatsapp-md §8.6), drawn by Chromium.
    const thumbnail = await ui.page.evaluate(() => {
      type Canvas = { width: number; height: number; getContext(k: '2d'): { fillStyle: string; fillRect(...a: number[]): void }; toDataURL(t: string): string }
      const c = (globalThis as unknown as { document: { createElement(t: 'canvas'): Canvas } }).document.createElement('canvas')
      c.width = 32
      c.height = 24
      const g = c.getContext('2d')
      g.fillStyle = '#c04030'
      g.fillRect(0, 0, 32, 24)
      return c.toDataURL('image/jpeg').split(',')[1]!
    })
    // The photo's bytes wait until the test lets them through.
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    await ui.page.route('**/media/**', async (route) => {
      await released
      await route.continue()
    })
    await row('Bob').click()
    const ingest = (ui.h.host.core as unknown as { ingest: { apply(a: string, e: ConnectorEvent): void; flush(): void } }).ingest
    ingest.apply(ui.accounts.whatsapp, {
      type: 'message',
      message: {
        chatRemoteId: 'bob@c.us',
        remoteId: 'photo-with-preview',
        senderId: 'bob@c.us',
        fromMe: false,
        timestamp: Date.now(),
        kind: 'image',
        text: '',
        media: { mime: 'image/jpeg', width: 640, height: 480, thumbnail }
      }
    })
    ingest.flush()
    const preview = ui.page.locator('.bubble img.photo-preview')
    await preview.waitFor()
    await expect.poll(() => preview.evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth)).toBe(32)
    // The place the photo will take: 320 px wide for a 640 × 480 picture.
    expect(Math.round((await preview.boundingBox())!.width)).toBe(320)
    await screenshot(ui.page, 'ui-photo-preview')
    release()
    await preview.waitFor({ state: 'detached' })
    await expect
      .poll(() =>
        ui.page
          .locator('.bubble img.photo')
          .last()
          .evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth)
      )
      .toBeGreaterThan(0)
  })

  it('mutes and removes an account from its panel, deleting its chats', async () => {
    await ui.page.keyboard.press('Control+2')
    await ui.page.getByRole('button', { name: 'Accounts', exact: true }).click()
    const panel = ui.page.locator('dialog.account-dialog')
    await panel.getByRole('button', { name: 'Mute notifications' }).click()
    await expect.poll(() => panel.getByRole('button', { name: 'Unmute notifications' }).count()).toBe(1)
    await expectAccessible(ui.page, 'screen 7')
    await panel.getByRole('button', { name: 'Remove account' }).click()
    await panel.getByRole('button', { name: 'Remove', exact: true }).click()
    await expect.poll(() => ui.page.locator('.rail-account').count()).toBe(1)
    await expect.poll(async () => (await chatTitles(ui.page)).sort()).toEqual(['Bob', 'Team'])
    expect(await eventually(async () => (await ui.h.host.core.handlers.search({ query: 'lunch', limit: 5 })).length === 0)).toBe(true)
  })
})
