// A person adds a LINE account in Chromium: the QR code on screen is read from a
// screenshot and scanned by the sandbox phone, the PIN shown on screen is typed on the
// phone, the chats appear, and messages go both ways — sealed with Bob, plain with Carol.

import type { Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lineNetwork } from '../../src/main/networks/line'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { readQr, screenshot } from '../helpers/browser'
import type { HostHarness } from '../helpers/host-harness'
import { startLineSandbox, type LineSandbox } from '../servers/line/sandbox'

let sandbox: LineSandbox
let app: AppInBrowser
let h: HostHarness
let page: Page
let errors: string[]

beforeAll(async () => {
  sandbox = await startLineSandbox()
  app = await startAppInBrowser({ networks: () => [lineNetwork], networkConfig: { line: sandbox.config }, open: false })
  ;({ h, page, errors } = app)
})

afterAll(async () => {
  await app?.close()
  await sandbox?.close()
})

const chatRow = (title: string) => page.locator('.chat-row').filter({ has: page.locator('.chat-title', { hasText: new RegExp(`^${title}$`) }) })

describe('LINE in the browser, end to end', () => {
  it('adds a LINE account by QR and PIN, then chats both ways', async () => {
    await page.goto(h.host.url)
    await page.getByRole('button', { name: 'Add account' }).click()
    await page.locator('[data-network="line"]').click()
    await page.getByRole('button', { name: 'Scan a QR code with your phone' }).click()
    const qr = page.locator('canvas.qr')
    await qr.waitFor()
    await screenshot(page, 'line-01-qr')
    const payload = await readQr(qr)
    expect(payload).toMatch(/^https:\/\/line\.me\/R\/au\/lgn\/sq\/SQ[0-9a-f]{64}\?secret=.+&e2eeVersion=1$/)
    await sandbox.phone.scan!(payload)

    const pin = page.locator('[data-pin]')
    await pin.waitFor()
    await screenshot(page, 'line-02-pin')
    const shown = (await pin.getAttribute('data-pin'))!
    expect(shown).toMatch(/^\d{6}$/)
    expect((await pin.textContent())?.trim()).toBe(shown)
    await sandbox.phone.enterPin!(shown)

    await page.getByText('Account added').waitFor()
    await page.locator('dialog.add-account').waitFor({ state: 'hidden' })
    await expect.poll(() => page.locator('.chat-title').allTextContents()).toEqual(expect.arrayContaining(['Bob', 'Carol', 'Sealed team', 'Mixed group']))
    await expect.poll(() => page.locator('.rail-account').getAttribute('data-state')).toBe('online')
    await screenshot(page, 'line-03-inbox')

    // Bob: Letter Sealing on both sides, so messages are sealed both ways.
    const { world } = sandbox.server
    const bob = [...world.users.values()].find((u) => u.displayName === 'Bob')!
    await chatRow('Bob').click()
    const welcome = page.locator('.message.theirs', { hasText: 'Welcome to the LINE sandbox!' })
    await welcome.waitFor()
    expect(await welcome.locator('.e2ee').count()).toBe(1)
    const composer = page.getByRole('textbox', { name: 'Message' })
    await composer.fill('Hello Bob, from Junction')
    await composer.press('Enter')
    const mine = page.locator('.message.mine', { hasText: 'Hello Bob, from Junction' })
    await expect.poll(() => mine.getAttribute('data-status')).toBe('sent')
    const stored = world.messages.at(-1)!
    expect(stored.chunks).toHaveLength(5)
    expect(sandbox.linePhone.open(stored, bob.mid)).toEqual({ text: 'Hello Bob, from Junction' })
    await sandbox.phone.sendAs(bob.mid, 'Got it, sealed on my side too')
    await page.locator('.message.theirs', { hasText: 'Got it, sealed on my side too' }).waitFor()
    await sandbox.linePhone.readAs(bob.mid)
    await expect.poll(() => mine.getAttribute('data-status')).toBe('read')
    await screenshot(page, 'line-04-bob')

    // Carol: Letter Sealing off, so the same flow goes plain.
    const carol = [...world.users.values()].find((u) => u.displayName === 'Carol')!
    await chatRow('Carol').click()
    await page.locator('.message.theirs', { hasText: 'my Letter Sealing is off' }).waitFor()
    await composer.fill('Plain for you, Carol')
    await composer.press('Enter')
    await expect.poll(() => page.locator('.message.mine', { hasText: 'Plain for you, Carol' }).getAttribute('data-status')).toBe('sent')
    expect(world.messages.at(-1)).toMatchObject({ to: carol.mid, text: 'Plain for you, Carol' })
    await sandbox.phone.sendAs(carol.mid, 'Plain reply')
    await page.locator('.message.theirs', { hasText: 'Plain reply' }).waitFor()
    await screenshot(page, 'line-05-carol')
    expect(errors).toEqual([])
  })
})
