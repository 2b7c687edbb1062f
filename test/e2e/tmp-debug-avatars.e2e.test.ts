// A person with three chat apps moves into Junction: one account of each network, added
// as each network does it (a QR read from the screen; a QR and a PIN; the Microsoft
// sign-in page), all against the reference servers at once, through the real Connectors.
// Then the unified inbox, chatting in each, one search across all three, an account
// dropping off and coming back, pin/mute/archive and the export of the whole history.

import { readFileSync } from 'node:fs'
import type { Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NetworkId } from '../../src/shared/model'
import { expectAccessible } from '../helpers/axe'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { readQr, screenshot } from '../helpers/browser'
import type { HostHarness } from '../helpers/host-harness'
import { startLineSandbox, type LineSandbox } from '../servers/line/sandbox'
import { startSkypeSandbox, type SkypeSandbox } from '../servers/skype/sandbox'
import { ALICE } from '../servers/skype/users'
import { startWhatsAppSandbox, type WhatsAppSandbox } from '../servers/whatsapp/sandbox'

const MARK: Record<NetworkId, string> = { whatsapp: 'WhatsApp', line: 'LINE', skype: 'Skype' }
const WA_BOB = '15550101@c.us'

let wa: WhatsAppSandbox
let line: LineSandbox
let skype: SkypeSandbox
let app: AppInBrowser
let h: HostHarness
let page: Page
let errors: string[]

beforeAll(async () => {
  ;[wa, line, skype] = await Promise.all([startWhatsAppSandbox(), startLineSandbox(), startSkypeSandbox()])
  app = await startAppInBrowser({
    networks: () => [wa.definition, line.definition, skype.definition],
    networkConfig: { whatsapp: wa.config, line: line.config, skype: skype.config },
    viewport: { width: 1280, height: 860 }
  })
  ;({ h, page, errors } = app)
}, 60_000)

afterAll(async () => {
  await app?.close()
  await Promise.all([wa?.close(), line?.close(), skype?.close()])
})

/** A chat row by title on one network (titles repeat across networks: "Sandbox team"). */
function chat(network: NetworkId, title: string) {
  return page
    .locator('.chat-row')
    .filter({ has: page.locator(`.network-mark[aria-label="${MARK[network]}"]`) })
    .filter({ has: page.locator('.chat-title', { hasText: new RegExp(`^${title}$`) }) })
}

async function startAdding(network: NetworkId): Promise<void> {
  await page.getByRole('button', { name: 'Add account' }).click()
  await page.locator(`[data-network="${network}"]`).click()
}

async function accountAdded(count: number): Promise<void> {
  await page.getByText('Account added').waitFor()
  await page.locator('dialog.add-account').waitFor({ state: 'hidden' })
  await expect.poll(() => page.locator('.rail-account[data-state="online"]').count(), { timeout: 15_000 }).toBe(count)
}

async function send(text: string): Promise<void> {
  const composer = page.getByRole('textbox', { name: 'Message' })
  await composer.fill(text)
  await composer.press('Enter')
  await expect.poll(() => page.locator('.message.mine', { hasText: text }).getAttribute('data-status'), { timeout: 15_000 }).toMatch(/sent|delivered|read/)
}

describe('three networks in one window', () => {
  it('adds a WhatsApp account from the QR on screen', async () => {
    await startAdding('whatsapp')
    const qr = page.locator('canvas.qr')
    await qr.waitFor()
    await screenshot(page, 'all-01-whatsapp-qr')
    await expectAccessible(page, 'the add-account dialog')
    await wa.phone.scan!(await readQr(qr))
    await accountAdded(1)
  })

  it('adds a LINE account from the QR and the PIN on screen', async () => {
    await startAdding('line')
    await page.getByRole('button', { name: 'Scan a QR code with your phone' }).click()
    const qr = page.locator('canvas.qr')
    await qr.waitFor()
    await line.phone.scan!(await readQr(qr))
    const pin = page.locator('[data-pin]')
    await pin.waitFor()
    await screenshot(page, 'all-02-line-pin')
    await line.phone.enterPin!((await pin.getAttribute('data-pin'))!)
    await accountAdded(2)
  })

  it('adds a Skype account through the Microsoft sign-in page', async () => {
    await startAdding('skype')
    await page.getByRole('button', { name: 'Sign in with your browser' }).click()
    const [popup] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: 'Open the sign-in page' }).click()])
    await popup.waitForLoadState()
    await popup.getByLabel('Email, phone, or Skype').fill(ALICE.email)
    await popup.getByLabel('Password').fill(ALICE.password)
    await popup.getByRole('button', { name: 'Sign in' }).click()
    await accountAdded(3)
    await popup.close().catch(() => {})
  })

  it('shows every chat of the three accounts in one inbox, newest activity first', async () => {
    await expect.poll(() => page.locator('.chat-row').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(8)
    const marks = await page
      .locator('.chat-row .network-mark')
      .evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('aria-label')))
    expect(new Set(marks)).toEqual(new Set(['WhatsApp', 'LINE', 'Skype']))
    const stored = (await h.host.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 100 })).chats
    const activities = stored.map((c) => c.lastActivity)
    expect(activities).toEqual([...activities].sort((a, b) => b - a))
    await expect.poll(() => page.locator('.chat-row .chat-title').allTextContents()).toEqual(stored.map((c) => c.title))
    await screenshot(page, 'all-03-inbox')
    await expectAccessible(page, 'the unified inbox')
  })

  it('chats both ways in each network', async () => {
    const bobLine = [...line.server.world.users.values()].find((u) => u.displayName === 'Bob')!.mid

    await chat('whatsapp', 'Bob Builder').click()
    await send('rendezvous at six, WhatsApp Bob?')
    await wa.phone.sendAs(WA_BOB, 'Six works for me')
    await page.locator('.message.theirs', { hasText: 'Six works for me' }).waitFor()

    await chat('line', 'Bob').click()
    await send('rendezvous at six, LINE Bob?')
    await line.phone.sendAs(bobLine, 'Sealed and agreed')
    await page.locator('.message.theirs', { hasText: 'Sealed and agreed' }).waitFor()
    expect(await page.locator('.message.mine', { hasText: 'rendezvous at six, LINE Bob?' }).locator('.e2ee').count()).toBe(1)

    await chat('skype', 'Bob Smith').click()
    await send('rendezvous at six, Skype Bob?')
    await skype.phone.sendAs('bob', '/me nods')
    await page.locator('.message.theirs em.emote', { hasText: 'nods' }).waitFor()
    await screenshot(page, 'all-04-skype-chat')
    await expectAccessible(page, 'a chat')
  })

  it('finds a word that exists in all three networks with one search', async () => {
    await page.keyboard.press('Control+k')
    await page.getByRole('combobox', { name: 'Search chats and messages' }).fill('rendezvous')
    await expect.poll(() => page.locator('.palette-option mark').count()).toBe(3)
    const networks = await page
      .locator('.palette-option .network-mark')
      .evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('aria-label')))
    expect(networks.sort()).toEqual(['LINE', 'Skype', 'WhatsApp'])
    await screenshot(page, 'all-05-search')
    await expectAccessible(page, 'the switcher')
    await page.getByRole('option').filter({ hasText: 'LINE Bob' }).click()
    await expect.poll(() => page.locator('.virtual-row.focused').textContent()).toContain('rendezvous at six, LINE Bob?')
  })

  it('takes an account offline and back, with the state on screen and no message lost or doubled', async () => {
    const rail = page.locator('.rail-account').filter({ has: page.locator('.network-mark', { hasText: 'W' }) })
    // Record every state the WhatsApp account shows in the rail, however briefly.
    await rail.evaluate((button) => {
      const b = button as unknown as { getAttribute(n: string): string | null; __states: string[] }
      b.__states = []
      new (globalThis as unknown as { MutationObserver: new (cb: () => void) => { observe(t: unknown, o: unknown): void } }).MutationObserver(() =>
        b.__states.push(b.getAttribute('data-state') ?? '')
      ).observe(button, {
        attributes: true,
        attributeFilter: ['data-state']
      })
    })
    await chat('whatsapp', 'Bob Builder').click()
    wa.server.dropAll()
    await wa.phone.sendAs(WA_BOB, 'sent while you were away')
    const states = (): Promise<string[]> => rail.evaluate((button) => (button as unknown as { __states: string[] }).__states)
    await expect.poll(states, { timeout: 20_000 }).toContain('reconnecting')
    await expect.poll(async () => (await states()).at(-1), { timeout: 20_000 }).toBe('online')
    await screenshot(page, 'all-06-back-online')
    await expect.poll(() => page.locator('.message', { hasText: 'sent while you were away' }).count(), { timeout: 15_000 }).toBe(1)
    await send('back online, WhatsApp')
    const stored = (await h.host.core.handlers.search({ query: 'away', limit: 10 })).filter((hit) => hit.network === 'whatsapp')
    expect(stored).toHaveLength(1)
  })

  it('pins, mutes and archives chats of different networks', async () => {
    await chat('skype', 'Bob Smith').click()
    await page.getByRole('button', { name: 'Pin', exact: true }).click()
    await expect.poll(async () => (await page.locator('.chat-row .chat-title').allTextContents())[0]).toBe('Bob Smith')
    await chat('line', 'Carol').click()
    await page.getByRole('button', { name: 'Mute', exact: true }).click()
    await expect.poll(() => chat('line', 'Carol').getByRole('img', { name: 'Muted' }).count()).toBe(1)
    await chat('whatsapp', 'Sandbox team').click()
    await page.getByRole('button', { name: 'Archive', exact: true }).click()
    await expect.poll(() => chat('whatsapp', 'Sandbox team').count()).toBe(0)
    await page.getByRole('button', { name: 'Archived', exact: true }).click()
    await expect.poll(() => page.locator('.chat-row .chat-title').allTextContents()).toEqual(['Sandbox team'])
    await page.getByRole('button', { name: 'All', exact: true }).click()
    await screenshot(page, 'all-07-organised')
  })

  it('exports the whole history of all three networks', async () => {
    await page.getByRole('button', { name: 'Settings' }).click()
    await page.getByRole('tab', { name: 'Advanced' }).click()
    await expectAccessible(page, 'settings')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as JSON' }).click()])
    const raw = readFileSync(await download.path(), "utf8"); console.log("EXPORT", download.suggestedFilename(), raw.slice(0, 400)); const data = JSON.parse(raw) as { accounts: { network: string; chats: { messages: { text: string }[] }[] }[] }
    expect(data.accounts.map((a) => a.network).sort()).toEqual(['line', 'skype', 'whatsapp'])
    const texts = data.accounts.flatMap((a) => a.chats.flatMap((c) => c.messages.map((m) => m.text)))
    for (const network of ['WhatsApp', 'LINE', 'Skype']) expect(texts).toContain(`rendezvous at six, ${network} Bob?`)
    await page.keyboard.press('Escape')
    expect(errors).toEqual([])
  })
})
