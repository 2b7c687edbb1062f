// Issue 12 §4, §5 "keyboard reachable", on LINE: the keyboard alone in Chromium against the
// LINE reference server (message-actions covers the reply and the menu keys on LINE): LINE's
// own six reactions picked with the arrow keys (spec line §6.2 PredefinedReactionType), the
// jump to the first unread message, a forward to Bob (sealed, as any message to him) and an
// unsend for everyone, each checked in the server's world. axe on the open surfaces.

import type { Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lineNetwork } from '../../src/main/networks/line'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { expectAccessible } from '../helpers/axe'
import { startLineSandbox, type LineSandbox } from '../servers/line/sandbox'
import type { WorldUser } from '../servers/line/world'
import { atComposerOf, composerOf, expectFocus, expectFocusRing, focusOf, lastMessageOf, pressUntilFocused, ringColours } from './keyboard-helpers'
import { linkByQr } from './keyboard-setup'

let sandbox: LineSandbox
let app: AppInBrowser
let page: Page
let carol: WorldUser
let bob: WorldUser
let rings: string[]

beforeAll(async () => {
  sandbox = await startLineSandbox()
  app = await startAppInBrowser({ networks: () => [lineNetwork], networkConfig: { line: sandbox.config }, open: false })
  page = app.page
  const users = [...sandbox.server.world.users.values()]
  carol = users.find((u) => u.displayName === 'Carol')!
  bob = users.find((u) => u.displayName === 'Bob')!
  await linkByQr(
    app,
    'line',
    (payload) => sandbox.phone.scan!(payload),
    (pin) => sandbox.phone.enterPin!(pin)
  )
  await page.goto(app.h.host.url)
  await page.locator('.rail-account[data-state="online"]').waitFor()
  await page.locator('.chat-row', { hasText: 'Carol' }).first().waitFor()
  rings = await ringColours(page)
}, 90_000)

afterAll(async () => {
  await app?.close()
  await sandbox?.close()
})

const theirs = (text: string) => page.locator('.message.theirs', { hasText: text })
const mine = (text: string) => page.locator('.message.mine', { hasText: text })
const menu = () => page.getByRole('menu', { name: 'Message actions' })
const menuItem = (action: string) => menu().locator(`[data-action="${action}"]`)
const stored = (text: string) => sandbox.server.world.messages.find((m) => m.text === text)!

describe('LINE from the keyboard', () => {
  it('reacts with LINE’s own six, picked with the arrow keys (no “more”); the server stores AMAZING', async () => {
    await atComposerOf(page, 'Carol')
    await sandbox.linePhone.sendAs(carol.mid, 'Bring the cake!')
    await theirs('Bring the cake!').waitFor()
    const m = await lastMessageOf(page)
    await page.keyboard.press('Tab')
    await expectFocus(m.getByRole('button', { name: 'React', exact: true }), 'the toolbar’s React')
    await page.keyboard.press('Enter')
    const picker = page.getByRole('group', { name: 'Choose a reaction' })
    await picker.waitFor()
    expect(await picker.getByRole('button').count()).toBe(6)
    // → stops at the last of the six: there is no "more" after them.
    await pressUntilFocused(page, 'ArrowRight', picker.getByRole('button', { name: 'React with angry' }), 6)
    await page.keyboard.press('ArrowRight')
    await expectFocus(picker.getByRole('button', { name: 'React with angry' }), 'still the last reaction')
    await pressUntilFocused(page, 'ArrowLeft', picker.getByRole('button', { name: 'React with surprised' }), 3)
    await expectFocusRing(page, 'line-reactions', rings)
    await expectAccessible(page, 'LINE reactions, from the keyboard')
    await page.keyboard.press('Enter')
    await m.locator('.reaction.own', { hasText: '😮' }).waitFor()
    // spec line §6.2: 5 AMAZING (😮).
    await expect.poll(() => stored('Bring the cake!').reactions).toEqual([expect.objectContaining({ predefinedReactionType: 5 })])
    await expectFocus(m.getByRole('button', { name: 'React', exact: true }), 'React after picking')
  })

  it('jumps to the first of a backlog’s unread messages from the keyboard, focus on that message', async () => {
    const mixed = [...sandbox.server.world.chats.values()].find((c) => c.name === 'Mixed group')!
    for (let i = 1; i <= 30; i++) await sandbox.linePhone.sendAs(mixed.mid, `Backlog ${i}`, { from: carol.mid })
    const unread = async () => (await app.h.host.core.handlers.listInbox({ filter: { kind: 'title', query: 'Mixed group' }, limit: 5 })).chats[0]?.unread
    await expect.poll(unread, { timeout: 10_000 }).toBe(31)
    await atComposerOf(page, 'Mixed group')
    const jump = page.getByRole('button', { name: 'Jump to the first of 31 unread messages' })
    await jump.waitFor()
    await pressUntilFocused(page, 'Shift+Tab', jump, 4)
    await expectFocusRing(page, 'line-jump-unread', rings)
    await expectAccessible(page, 'LINE jump to the first unread, from the keyboard')
    await page.keyboard.press('Enter')
    await jump.waitFor({ state: 'hidden' })
    const separator = page.locator('.unread-separator')
    await expect.poll(() => separator.isVisible()).toBe(true)
    // The button went away under focus: focus is on the first unread message, where the arrows go on.
    const first = page.locator('.virtual-row', { has: separator }).locator('[data-message-id]')
    await expectFocus(first, 'the first unread message')
    expect((await focusOf(page))?.visible).toBe(true)
    await page.keyboard.press('ArrowDown')
    expect((await focusOf(page))?.messageId).not.toBe(await first.getAttribute('data-message-id'))
  }, 60_000)

  it('forwards Carol’s message to Bob (sealed for him) and unsends ours for everyone, from the menu', async () => {
    await atComposerOf(page, 'Carol')
    await sandbox.linePhone.sendAs(carol.mid, 'The code is 4711')
    await theirs('The code is 4711').waitFor()
    const tip = await lastMessageOf(page)
    await page.keyboard.press('Shift+F10')
    await menu().waitFor()
    await pressUntilFocused(page, 'ArrowDown', menuItem('forward'), 4)
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'Forward to…' })
    await dialog.waitFor()
    await page.keyboard.type('bo')
    await expect.poll(() => dialog.getByRole('listitem').allTextContents()).toEqual(['BobLINE'])
    await page.keyboard.press('Tab')
    await expectFocus(dialog.getByRole('button', { name: /^Bob/ }), 'Bob in the list')
    await page.keyboard.press('Enter')
    await dialog.waitFor({ state: 'hidden' })
    await expectFocus(tip, 'the message after forwarding')
    const toBob = () => sandbox.server.world.messages.filter((m) => m.to === bob.mid && m.from !== bob.mid && m.chunks !== undefined)
    await expect.poll(() => toBob().length).toBeGreaterThan(0)
    expect(sandbox.linePhone.open(toBob().at(-1)!, bob.mid)).toEqual({ text: 'The code is 4711' })

    await atComposerOf(page, 'Carol')
    await page.keyboard.type('Wrong chat, sorry')
    await page.keyboard.press('Enter')
    await expect.poll(() => mine('Wrong chat, sorry').getAttribute('data-status')).toBe('sent')
    const oops = await lastMessageOf(page)
    await page.keyboard.press('Shift+F10')
    await menu().waitFor()
    await page.keyboard.press('End')
    await page.keyboard.press('Enter')
    const confirm = page.getByRole('dialog', { name: 'Delete this message?' })
    await confirm.waitFor()
    await pressUntilFocused(page, 'Tab', confirm.getByRole('button', { name: 'Delete for everyone' }), 4)
    await page.keyboard.press('Enter')
    await page.locator('.message.mine.deleted', { hasText: 'This message was deleted.' }).waitFor()
    const id = stored('Wrong chat, sorry').id
    expect(sandbox.server.world.messages.find((m) => m.id === id)?.unsent).toBe(true)
    await expectFocus(oops, 'the unsent message')
    await pressUntilFocused(page, 'Tab', composerOf(page), 8)
    expect(app.errors).toEqual([])
  })
})
