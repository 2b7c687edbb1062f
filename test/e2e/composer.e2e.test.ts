// What a person typed is never lost (issue 11 §1, §2, §4): over-long text, a send while the
// engine is unreachable, a photo's caption, a whitespace-only composer.

import type { Browser } from 'playwright'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { TINY_PNG } from '../doubles/fake-network'
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
afterEach(async () => ui?.close())

const row = (title: string) => ui.page.locator('.chat-row', { hasText: title })
const composer = () => ui.page.getByRole('textbox', { name: 'Message' })
const storedDraft = async (title: string): Promise<string> =>
  (await ui.h.host.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 10 })).chats.find((c) => c.title === title)!.draft

describe('the composer keeps what was typed', () => {
  it('shows a counter near the limit and offers to send longer text as several messages', async () => {
    await row('Dan').click()
    const long = Array.from({ length: 20_000 }, (_, i) => `w${i}`).join(' ')
    expect(long.length).toBeGreaterThan(100_000)
    await composer().fill(long.slice(0, 60_000))
    await expect.poll(() => ui.page.locator('.composer-counter').textContent()).toBe('60,000 / 65,536')
    await composer().fill(long)
    await composer().press('Enter')
    const offer = ui.page.locator('.composer-split')
    await expect.poll(() => offer.textContent()).toContain('Send it as 2 messages?')
    // Nothing was sent, and nothing typed is gone.
    expect(await composer().inputValue()).toBe(long)
    expect(ui.net.deliveries).toHaveLength(0)
    // The long draft is kept too (it is saved as typed), without an error.
    await expect.poll(() => storedDraft('Dan')).toBe(long)
    expect(await ui.page.locator('.toast').count()).toBe(0)
    await screenshot(ui.page, 'composer-01-split-offer')
    await offer.getByRole('button', { name: 'Send as 2 messages' }).click()
    await expect.poll(() => ui.net.deliveries.length).toBe(2)
    expect(ui.net.deliveries.map((d) => d.text).join(' ')).toBe(long)
    await expect.poll(() => composer().inputValue()).toBe('')
  })

  it('keeps the text when the engine cannot be reached, and no account shows as online', async () => {
    await row('Dan').click()
    await ui.h.host.close()
    await expect.poll(() => ui.page.locator('.link-banner').textContent()).toContain('Lost the connection')
    await expect
      .poll(() => ui.page.locator('.rail-account').evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { state: string } }).dataset.state)))
      .toEqual(['unknown', 'unknown'])
    await composer().fill('do not lose me')
    await composer().press('Enter')
    await expect.poll(() => ui.page.locator('.toast').last().textContent()).toContain('engine cannot be reached')
    expect(await composer().inputValue()).toBe('do not lose me')
    await screenshot(ui.page, 'composer-02-link-down')
  })

  it('sends a photo with its caption, and the caption does not come back as a draft', async () => {
    await ui.page.clock.install()
    await row('Dan').click()
    await composer().fill('a caption for the photo')
    await ui.page.locator('.composer input[type=file]').setInputFiles({ name: 'p.png', mimeType: 'image/png', buffer: TINY_PNG })
    await expect.poll(() => ui.net.deliveries.map((d) => d.text)).toEqual(['a caption for the photo'])
    await expect.poll(() => composer().inputValue()).toBe('')
    // Run every timer the page set (the draft is saved 400 ms after typing), then a round trip.
    await ui.page.clock.runFor(5_000)
    await row('Eve').click()
    await expect.poll(() => ui.page.locator('.chat-header h1').textContent()).toBe('Eve')
    expect(await storedDraft('Dan')).toBe('')
    await row('Dan').click()
    await expect.poll(() => ui.page.locator('.chat-header h1').textContent()).toBe('Dan')
    expect(await composer().inputValue()).toBe('')
  })

  it('does not keep a whitespace-only composer as a draft', async () => {
    await row('Dan').click()
    await composer().fill('x')
    await expect.poll(() => storedDraft('Dan')).toBe('x')
    await composer().fill('   \n  ')
    await expect.poll(() => storedDraft('Dan')).toBe('')
    await row('Eve').click()
    await expect.poll(() => row('Dan').locator('.chat-preview').textContent()).not.toContain('✎')
  })
})
