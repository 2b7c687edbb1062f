// The message log is one Tab stop (issue 12 §4, WAI-ARIA APG composite widgets), in Chromium
// against the Skype (MSNP24) reference server: Shift+Tab from the composer reaches the log without
// walking every link of the messages on screen, Tab from the log goes on past them, the arrow keys
// reach the messages and Tab from a message still reaches its own links.

import type { Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppInBrowser } from '../helpers/app'
import type { SkypeServer } from '../servers/skype/server'
import { atComposerOf, focusOf, hasFocus, pressUntilFocused } from './keyboard-helpers'
import { startSkypeAliceApp } from './keyboard-setup'

let server: SkypeServer
let app: AppInBrowser
let page: Page

beforeAll(async () => {
  ;({ server, app } = await startSkypeAliceApp())
  page = app.page
}, 90_000)

afterAll(async () => {
  await app?.close()
  await server?.close()
})

describe('the message log is one Tab stop', () => {
  it('Shift+Tab from the composer reaches the log past every link in the messages, and Tab leaves it the same way', async () => {
    const texts = Array.from({ length: 6 }, (_, i) => `See https://example.com/a${i} and https://example.org/b${i}`)
    for (const text of texts) server.peer('bob').say('alice', text)
    await atComposerOf(page, 'Bob Smith')
    const log = page.getByRole('log', { name: 'Messages' })
    await expect.poll(() => log.locator('a[href]').count()).toBeGreaterThanOrEqual(12)
    // Twelve links are on screen; without the single stop, Shift+Tab visited each of them first.
    expect(await pressUntilFocused(page, 'Shift+Tab', log, 30)).toBeLessThanOrEqual(2)
    // From the log itself, Tab goes on past the messages, and Shift+Tab comes back to it.
    await page.keyboard.press('Tab')
    const after = await focusOf(page)
    expect(after, 'focus went somewhere').not.toBeNull()
    expect(after?.messageId ?? null, 'not into a message').toBeNull()
    expect(await hasFocus(log)).toBe(false)
    expect(await pressUntilFocused(page, 'Shift+Tab', log, 30)).toBe(1)
    // The arrow keys reach the messages; from the newest one, Tab still reaches its own links.
    await page.keyboard.press('ArrowUp')
    expect((await focusOf(page))?.messageId).toBeTruthy()
    await pressUntilFocused(page, 'Tab', log.locator('[data-message-id]').last().locator('a[href]').first(), 8)
  })
})
