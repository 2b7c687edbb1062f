// The sandbox phone page in Chromium for a network other than WhatsApp (issue 12 §8): a
// LINE account in Core sends Bob a sealed message; on the phone page Bob's chat lists it
// "sent", "Mark read" turns it "read" (and Core hears the read receipt), and Bob reacts with
// one of LINE's six reactions, which reaches Core. Axe clean.

import type { Server } from 'node:http'
import type { Browser, Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectAccessible } from '../helpers/axe'
import { launchChromium, screenshot } from '../helpers/browser'
import type { Harness } from '../helpers/core-harness'
import { addLineAccount, chatByRemote, lineHarness, messageIn } from '../integration/main/networks/line/core-helpers'
import { startLineSandbox, type LineSandbox } from '../servers/line/sandbox'
import { startPhonePage } from '../servers/phone-page'

let browser: Browser
let sandbox: LineSandbox
let h: Harness
let phonePage: { url: string; server: Server }
let page: Page

beforeAll(async () => {
  browser = await launchChromium()
  sandbox = await startLineSandbox()
  h = await lineHarness(sandbox.server)
  phonePage = await startPhonePage([sandbox])
  page = await browser.newPage()
}, 60_000)

afterAll(async () => {
  await page?.close()
  phonePage?.server.close()
  await h?.close()
  await sandbox?.close()
  await browser?.close()
})

describe('the sandbox phone page, LINE', () => {
  it('shows what Bob received, marks it read and reacts', async () => {
    await addLineAccount(h.core, sandbox.linePhone)
    const bob = (await sandbox.phone.chats()).find((c) => c.title === 'Bob')!
    const chat = await chatByRemote(h.core, bob.id)
    await h.core.handlers.sendMessage({ chatId: chat.id, clientId: 'page-1', draft: { kind: 'text', text: 'Did the phone page get this?' } })
    const mine = await messageIn(h.core, chat.id, (m) => m.fromMe && m.status === 'sent' && m.remoteId !== null)

    await page.goto(phonePage.url)
    const section = page.locator('section', { hasText: 'LINE phone of Alice' })
    await section.getByRole('combobox').selectOption(bob.id)
    const item = section.getByRole('list', { name: 'Received by this contact' }).getByRole('listitem').filter({ hasText: 'Did the phone page get this?' })
    await expect.poll(() => item.locator('small').textContent(), { timeout: 10_000 }).toMatch(/· sent$/)
    // No typing indicator on LINE: the page offers no typing for it; the six reactions are LINE's.
    expect(await item.getByRole('button').allTextContents()).toEqual(['👍', '❤️', '😆', '😮', '😢', '😡'])
    await screenshot(page, 'phone-page-01-line-sent')
    await expectAccessible(page, 'sandbox phone page, LINE')

    await section.getByRole('button', { name: 'Mark read' }).click()
    await expect.poll(() => item.locator('small').textContent(), { timeout: 10_000 }).toMatch(/· read$/)
    await messageIn(h.core, chat.id, (m) => m.id === mine.id && m.status === 'read', 10_000)

    await item.getByRole('button', { name: 'React 😆 to Did the phone page get this?' }).click()
    await expect.poll(() => section.getByRole('status').textContent()).toBe('Reacted 😆.')
    await messageIn(h.core, chat.id, (m) => m.id === mine.id && m.reactions.some((r) => r.emoji === '😆'), 10_000)
    await screenshot(page, 'phone-page-02-line-read-reacted')
  })
})
