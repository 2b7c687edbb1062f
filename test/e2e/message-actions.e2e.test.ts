// Acting on messages in Chromium against the LINE reference server (issue 12 §4, §5): the
// hover toolbar and the context menu (pointer and keyboard), a quoted reply both ways,
// reactions both ways, unsend both ways, the unread separator, and actions LINE lacks
// (edit) not offered; then editing, deleting for me and incoming edits on a network that has
// them (the fake network). axe on every new surface; screenshots under .artifacts/screenshots.

import type { Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lineNetwork } from '../../src/main/networks/line'
import { actionNetwork, ALL_ACTIONS, newRecorder } from '../doubles/action-network'
import { FakeNetwork } from '../doubles/fake-network'
import { startAppInBrowser, type AppInBrowser } from '../helpers/app'
import { addAccountByQr } from '../helpers/core-harness'
import { expectAccessible } from '../helpers/axe'
import { readQr, screenshot } from '../helpers/browser'
import { startLineSandbox, type LineSandbox } from '../servers/line/sandbox'
import type { WorldUser } from '../servers/line/world'

let sandbox: LineSandbox
let app: AppInBrowser
let page: Page
let carol: WorldUser
let bob: WorldUser

beforeAll(async () => {
  sandbox = await startLineSandbox()
  app = await startAppInBrowser({ networks: () => [lineNetwork], networkConfig: { line: sandbox.config }, open: false })
  page = app.page
  carol = [...sandbox.server.world.users.values()].find((u) => u.displayName === 'Carol')!
  bob = [...sandbox.server.world.users.values()].find((u) => u.displayName === 'Bob')!
  // Waiting for Alice in Bob's chat before she opens it: unread messages (the unread separator's test has it alone).
  await sandbox.linePhone.sendAs(bob.mid, 'Are you there?')
  await sandbox.linePhone.sendAs(bob.mid, 'Call me when you can')
  await addLineAccount()
}, 60_000)

afterAll(async () => {
  await app?.close()
  await sandbox?.close()
})

async function addLineAccount(): Promise<void> {
  await page.goto(app.h.host.url)
  await page.getByRole('button', { name: 'Add account' }).click()
  await page.locator('[data-network="line"]').click()
  await page.getByRole('button', { name: 'Scan a QR code with your phone' }).click()
  const qr = page.locator('canvas.qr')
  await qr.waitFor()
  await sandbox.phone.scan!(await readQr(qr))
  const pin = page.locator('[data-pin]')
  await pin.waitFor()
  await sandbox.phone.enterPin!((await pin.getAttribute('data-pin'))!)
  await page.locator('dialog.add-account').waitFor({ state: 'hidden' })
  await page.locator('.rail-account[data-state="online"]').waitFor()
}

const chatRow = (title: string) => page.locator('.chat-row').filter({ has: page.locator('.chat-title', { hasText: new RegExp(`^${title}$`) }) })
const theirs = (text: string) => page.locator('.message.theirs', { hasText: text })
const mine = (text: string) => page.locator('.message.mine', { hasText: text })
/** The page's focused element, as Node's types see a browser value. */
type FocusedDom = { document: { activeElement: { getAttribute(name: string): string | null } | null } }
const focusedAttribute = (name: string) => page.evaluate((n) => (globalThis as unknown as FocusedDom).document.activeElement?.getAttribute(n) ?? null, name)

const stored = (text: string) => sandbox.server.world.messages.find((m) => m.text === text)!

/** Carol writes, and the message is on screen in her chat (each test writes its own). */
async function fromCarol(text: string) {
  await chatRow('Carol').click()
  await sandbox.linePhone.sendAs(carol.mid, text)
  await theirs(text).waitFor()
  return theirs(text)
}

describe('message actions in the browser, against LINE', () => {
  it('shows the unread separator before the first unread message', async () => {
    await chatRow('Bob').click()
    const separator = page.locator('.unread-separator')
    await separator.waitFor()
    // The seeded welcome (a sealed text and a sticker) and the two new ones were unread.
    expect(await separator.textContent()).toBe('4 unread messages')
    const row = page.locator('.virtual-row', { has: separator })
    expect(await row.locator('.message').textContent()).toContain('Welcome to the LINE sandbox!')
    await screenshot(page, 'actions-01-unread')
    await expectAccessible(page, 'chat with the unread separator')
  })

  it('jumps to the first unread message of a long backlog', async () => {
    const mixed = [...sandbox.server.world.chats.values()].find((c) => c.name === 'Mixed group')!
    for (let i = 1; i <= 30; i++) await sandbox.linePhone.sendAs(mixed.mid, `Backlog ${i}`, { from: carol.mid })
    await chatRow('Mixed group').locator('.unread-badge', { hasText: /^31$/ }).waitFor()
    await chatRow('Mixed group').click()
    const jump = page.getByRole('button', { name: 'Jump to the first of 31 unread messages' })
    await jump.waitFor()
    await screenshot(page, 'actions-01b-jump-unread')
    await expectAccessible(page, 'chat with a jump to the first unread')
    await jump.click()
    await jump.waitFor({ state: 'hidden' })
    const separator = page.locator('.unread-separator')
    await expect.poll(() => separator.isVisible()).toBe(true)
    const box = (await separator.boundingBox())!
    const list = (await page.getByRole('log', { name: 'Messages' }).boundingBox())!
    expect(box.y).toBeGreaterThanOrEqual(list.y)
    expect(box.y).toBeLessThan(list.y + list.height)
  })

  it('reacts from the hover toolbar with LINE’s own set, and hears Carol react', async () => {
    const cake = await fromCarol('Bring the cake!')
    await cake.hover()
    await cake.getByRole('button', { name: 'React', exact: true }).click()
    const picker = page.getByRole('group', { name: 'Choose a reaction' })
    await picker.waitFor()
    // LINE takes six reactions and no others: no "more".
    expect(await picker.getByRole('button').count()).toBe(6)
    await screenshot(page, 'actions-02-reaction-picker')
    await expectAccessible(page, 'reaction picker')
    await picker.getByRole('button', { name: 'React with grinning squinting' }).click()
    await cake.locator('.reaction.own', { hasText: '😆' }).waitFor()
    await expect.poll(() => stored('Bring the cake!').reactions).toEqual([expect.objectContaining({ predefinedReactionType: 4 })])

    // Carol reacts ❤️ to the same message from her phone.
    await sandbox.linePhone.reactAs(carol.mid, stored('Bring the cake!').id, 3)
    await cake.locator('.reaction', { hasText: '❤️' }).waitFor()
    // Clicking our own reaction takes it back.
    await cake.getByRole('button', { name: /Remove your 😆/ }).click()
    await expect.poll(() => cake.locator('.reaction.own').count()).toBe(0)
    await expect.poll(() => stored('Bring the cake!').reactions?.map((r) => r.fromUserMid)).toEqual([carol.mid])
    await screenshot(page, 'actions-03-reactions')
  })

  it('opens the context menu with the pointer and the keyboard; LINE offers no edit; Esc cancels a reply', async () => {
    const question = await fromCarol('Are you coming tonight?')
    await question.locator('.bubble').click({ button: 'right' })
    const menu = page.getByRole('menu', { name: 'Message actions' })
    await menu.waitFor()
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Reply', 'React', 'Copy text', 'Forward…', 'Info', 'Delete…'])
    await screenshot(page, 'actions-04-menu')
    await expectAccessible(page, 'message context menu')
    await page.keyboard.press('Escape')
    await menu.waitFor({ state: 'hidden' })

    // The keyboard: the message list, the arrow keys to a message, Shift+F10 for its menu.
    await sandbox.linePhone.sendAs(carol.mid, 'Last one')
    await theirs('Last one').waitFor()
    const focused = () => focusedAttribute('data-message-id')
    const ids = await page
      .locator('[data-message-id]')
      .evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { messageId?: string } }).dataset.messageId))
    await page.getByRole('log', { name: 'Messages' }).focus()
    await page.keyboard.press('ArrowUp')
    await expect.poll(focused).toBe(ids.at(-1))
    await page.keyboard.press('ArrowUp')
    await expect.poll(focused).toBe(ids.at(-2))
    await page.keyboard.press('ArrowDown')
    await expect.poll(focused).toBe(ids.at(-1))
    await page.keyboard.press('Shift+F10')
    await menu.waitFor()
    await expect.poll(() => focusedAttribute('data-action')).toBe('reply')
    await page.keyboard.press('Enter')
    const bar = page.locator('.reply-bar')
    await bar.waitFor()
    expect(await bar.textContent()).toContain('Replying to Carol')
    expect(await bar.textContent()).toContain('Last one')
    await expect.poll(() => focusedAttribute('aria-label')).toBe('Message')
    await page.keyboard.press('Escape')
    await bar.waitFor({ state: 'hidden' })
  })

  it('sends a quoted reply, and shows the one Carol sends back; a click on a quote shows the original', async () => {
    const question = await fromCarol('Shall we meet?')
    await question.hover()
    await question.getByRole('button', { name: 'Reply', exact: true }).click()
    await page.locator('.reply-bar').waitFor()
    await screenshot(page, 'actions-05-reply-bar')
    await expectAccessible(page, 'composer with a reply')
    const composer = page.getByRole('textbox', { name: 'Message' })
    await composer.fill('Yes, at eight')
    await composer.press('Enter')
    const reply = mine('Yes, at eight')
    await expect.poll(() => reply.getAttribute('data-status')).toBe('sent')
    expect(await reply.locator('.quote').textContent()).toContain('Shall we meet?')
    await page.locator('.reply-bar').waitFor({ state: 'hidden' })
    expect(stored('Yes, at eight').relatedMessageId).toBe(stored('Shall we meet?').id)

    await sandbox.linePhone.sendAs(carol.mid, 'Great, see you', { replyTo: stored('Yes, at eight').id })
    const back = theirs('Great, see you')
    await back.locator('.quote', { hasText: 'Yes, at eight' }).waitFor()
    expect(await back.locator('.quote-sender').textContent()).toBe('You')
    await back.locator('.quote').click()
    await page.locator('.virtual-row.focused', { hasText: 'Yes, at eight' }).first().waitFor()
    await screenshot(page, 'actions-06-quotes')
  })

  it('forwards a message to another chat, and shows a message’s info', async () => {
    const tip = await fromCarol('The code is 4711')
    await tip.locator('.bubble').click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Forward…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Forward to…' })
    await dialog.waitFor()
    await dialog.getByRole('searchbox', { name: 'Find a chat' }).fill('bo')
    expect(await dialog.getByRole('listitem').allTextContents()).toEqual(['BobLINE'])
    await screenshot(page, 'actions-09-forward')
    await expectAccessible(page, 'forward dialog')
    await dialog.getByRole('button', { name: /^Bob/ }).click()
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(() => sandbox.server.world.messages.some((m) => m.to === bob.mid && m.from !== bob.mid && m.chunks !== undefined)).toBe(true)
    const forwarded = sandbox.server.world.messages.filter((m) => m.to === bob.mid).at(-1)!
    // Bob has Letter Sealing on: the forward is sealed like any message to him.
    expect(sandbox.linePhone.open(forwarded, bob.mid)).toEqual({ text: 'The code is 4711' })

    await chatRow('Carol').click()
    const composer = page.getByRole('textbox', { name: 'Message' })
    await composer.fill('Info for this one')
    await composer.press('Enter')
    const sent = mine('Info for this one')
    await expect.poll(() => sent.getAttribute('data-status')).toBe('sent')
    await sandbox.linePhone.readAs(carol.mid)
    await expect.poll(() => sent.getAttribute('data-status')).toBe('read')
    await sent.locator('.bubble').click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Info' }).click()
    const info = page.getByRole('dialog', { name: 'Message info' })
    await info.waitFor()
    const rows = await info.locator('dt, dd').allTextContents()
    expect(rows[0]).toBe('Sent')
    expect(rows.slice(2)).toEqual(['Delivered', 'LINE does not report this', 'Read', expect.stringMatching(/\d/)])
    await screenshot(page, 'actions-10-info')
    await expectAccessible(page, 'message info')
    await info.getByRole('button', { name: 'Close' }).click()
    await info.waitFor({ state: 'hidden' })
  })

  it('unsends our message for everyone, and shows Carol’s unsent one as deleted', async () => {
    await chatRow('Carol').click()
    const composer = page.getByRole('textbox', { name: 'Message' })
    await composer.fill('Wrong chat, sorry')
    await composer.press('Enter')
    const oops = mine('Wrong chat, sorry')
    await expect.poll(() => oops.getAttribute('data-status')).toBe('sent')
    await oops.locator('.bubble').click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Delete…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Delete this message?' })
    await dialog.waitFor()
    await screenshot(page, 'actions-07-delete')
    await expectAccessible(page, 'delete dialog')
    await dialog.getByRole('button', { name: 'Delete for everyone' }).click()
    const id = stored('Wrong chat, sorry').id
    await page.locator(`.message.mine.deleted`, { hasText: 'This message was deleted.' }).waitFor()
    expect(sandbox.server.world.messages.find((m) => m.id === id)?.unsent).toBe(true)

    const regret = await sandbox.linePhone.sendAs(carol.mid, 'Ignore this one')
    await theirs('Ignore this one').waitFor()
    await sandbox.linePhone.unsendAs(carol.mid, regret.id)
    await expect.poll(() => theirs('Ignore this one').count()).toBe(0)
    expect(await page.locator('.message.theirs.deleted').count()).toBeGreaterThan(0)
    await screenshot(page, 'actions-08-deleted')
    expect(app.errors).toEqual([])
  })
})

describe('message actions in the dark theme and a narrow window', () => {
  it('keep their contrast (axe) and fit at 560 px', async () => {
    await app.h.host.core.handlers.updateSettings({ theme: 'dark' })
    await chatRow('Carol').click()
    await page.setViewportSize({ width: 560, height: 760 })
    try {
      const m = await fromCarolNarrow('Dark and narrow')
      await m.hover()
      await m.getByRole('button', { name: 'React', exact: true }).click()
      await page.getByRole('group', { name: 'Choose a reaction' }).waitFor()
      await screenshot(page, 'actions-13-dark-narrow-picker')
      await expectAccessible(page, 'reaction picker, dark and narrow')
      await page.keyboard.press('Escape')
      await m.locator('.bubble').click({ button: 'right' })
      const menu = page.getByRole('menu', { name: 'Message actions' })
      await menu.waitFor()
      const box = (await menu.boundingBox())!
      expect(box.x + box.width).toBeLessThanOrEqual(560)
      await screenshot(page, 'actions-14-dark-narrow-menu')
      await expectAccessible(page, 'message menu, dark and narrow')
      await page.keyboard.press('Escape')
    } finally {
      await page.setViewportSize({ width: 1200, height: 800 })
      await app.h.host.core.handlers.updateSettings({ theme: 'light' })
    }
  })
})

/** Carol writes into her chat, already open (in a narrow window the chat list is a drawer). */
async function fromCarolNarrow(text: string) {
  await sandbox.linePhone.sendAs(carol.mid, text)
  await theirs(text).waitFor()
  return theirs(text)
}

describe('editing and deleting for me, on a network with edits (the fake network)', () => {
  let fake: AppInBrowser
  const rec = newRecorder()

  beforeAll(async () => {
    const net = new FakeNetwork()
    net.addUser('me', 'Me', {
      chats: [
        {
          id: 'dora',
          title: 'Dora',
          messages: [
            ['dora', 'Lunch?'],
            ['me', 'Sure, at noen']
          ]
        }
      ]
    })
    fake = await startAppInBrowser({ net, networks: (n) => [actionNetwork(n, ALL_ACTIONS, rec)] })
    await addAccountByQr(fake.h.host.core, net, 'me')
  }, 60_000)

  afterAll(async () => fake?.close())

  it('edits our message in the composer (Esc keeps the draft), shows “edited”, and takes an edit from the network', async () => {
    const p = fake.page
    await p.locator('.chat-row', { hasText: 'Dora' }).click()
    const typo = p.locator('.message.mine', { hasText: 'Sure, at noen' })
    await typo.waitFor()
    const composer = p.getByRole('textbox', { name: 'Message' })
    await composer.fill('a draft of mine')
    await typo.locator('.bubble').click({ button: 'right' })
    expect(await p.getByRole('menuitem').allTextContents()).toEqual(['Reply', 'React', 'Copy text', 'Edit', 'Forward…', 'Info', 'Delete…'])
    await p.getByRole('menuitem', { name: 'Edit' }).click()
    await p.locator('.reply-bar', { hasText: 'Editing your message' }).waitFor()
    expect(await composer.inputValue()).toBe('Sure, at noen')
    // Esc gives the draft back.
    await composer.press('Escape')
    await p.locator('.reply-bar').waitFor({ state: 'hidden' })
    expect(await composer.inputValue()).toBe('a draft of mine')

    await typo.locator('.bubble').click({ button: 'right' })
    await p.getByRole('menuitem', { name: 'Edit' }).click()
    await composer.fill('Sure, at noon')
    await screenshot(p, 'actions-11-editing')
    await expectAccessible(p, 'composer editing a message')
    await composer.press('Enter')
    const fixed = p.locator('.message.mine', { hasText: 'Sure, at noon' })
    await fixed.locator('.edited').waitFor()
    expect(rec.calls.at(-1)).toMatch(/^edit dora \S+ Sure, at noon$/)
    // The bubble can show "edited" (the store's event) a moment before the Api's answer ends the edit.
    await expect.poll(() => composer.inputValue()).toBe('a draft of mine')
    // The edit's text never became the chat's saved draft.
    const draft = async () => (await fake.h.host.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 5 })).chats[0]!.draft
    await expect.poll(draft).toBe('a draft of mine')
    expect(await p.locator('.chat-row', { hasText: 'Dora' }).textContent()).toContain('a draft of mine')

    const lunch = await fake.h.host.core.handlers.listMessages({
      chatId: (await p.locator('.chat-row', { hasText: 'Dora' }).getAttribute('data-chat-id'))!,
      limit: 10
    })
    const theirs = lunch.messages.find((m) => m.text === 'Lunch?')!
    rec.emit({ type: 'messageEdited', chatRemoteId: 'dora', messageRemoteId: theirs.remoteId!, text: 'Lunch tomorrow?', editedAt: Date.now() })
    await p.locator('.message.theirs', { hasText: 'Lunch tomorrow?' }).locator('.edited').waitFor()
    await screenshot(p, 'actions-12-edited')
  })

  it('deletes a message for me only, without asking the network', async () => {
    const p = fake.page
    await p.locator('.chat-row', { hasText: 'Dora' }).click()
    const target = p.locator('.message.theirs').first()
    await target.waitFor()
    const text = (await target.locator('.text').textContent())!
    const before = rec.calls.length
    await target.locator('.bubble').click({ button: 'right' })
    await p.getByRole('menuitem', { name: 'Delete…' }).click()
    const dialog = p.getByRole('dialog', { name: 'Delete this message?' })
    await dialog.waitFor()
    // Someone else's message: only for me.
    expect(await dialog.getByRole('button').allTextContents()).toEqual(['Cancel', 'Delete for me'])
    await dialog.getByRole('button', { name: 'Delete for me' }).click()
    await expect.poll(() => p.locator('.message.theirs', { hasText: text }).count()).toBe(0)
    expect(rec.calls.length).toBe(before)
    expect(fake.errors).toEqual([])
  })
})
