import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeNetwork } from '../../../doubles/fake-network'
import { addAccountByQr, collect, createHarness, type Harness } from '../../../helpers/core-harness'
import { eventually, waitFor } from '../../../helpers/events'

let h: Harness
afterEach(async () => h?.close())

async function setup(messages = 3): Promise<{ accountId: string; chatId: string }> {
  const net = new FakeNetwork()
  net.addUser('me', 'Me', {
    chats: [
      { id: 'bob', title: 'Bob <b>&', messages: Array.from({ length: messages }, (_, i) => [i % 2 ? 'me' : 'bob', `line ${i} "quoted"`] as [string, string]) },
      { id: 'empty', title: 'Nobody yet' }
    ]
  })
  h = await createHarness({ net })
  const accountId = await addAccountByQr(h.core, h.net, 'me')
  const chatId = await eventually(
    async () => (await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 5 })).chats.find((c) => c.remoteId === 'bob')?.id
  )
  return { accountId, chatId }
}

describe('settings', () => {
  it('start from defaults, persist across a restart and tell the renderer', async () => {
    await setup()
    expect(await h.core.handlers.getSettings()).toEqual({ theme: 'system', notifications: { enabled: true, showPreview: true }, networks: {} })
    const event = waitFor(h.core.events, 'settings')
    await h.core.handlers.updateSettings({ theme: 'dark', notifications: { showPreview: false } })
    expect((await event).notifications).toEqual({ enabled: true, showPreview: false })
    await h.restart()
    expect(await h.core.handlers.getSettings()).toMatchObject({ theme: 'dark', notifications: { enabled: true, showPreview: false } })
  })
})

describe('notifications', () => {
  it('are raised for a live message from someone else, not for muted chats, muted accounts or my own', async () => {
    const { accountId, chatId } = await setup()
    const notes = collect(h.core, 'notify')
    h.net.sendFromContact('me', 'bob', 'ping 1')
    await eventually(() => notes.length === 1)
    expect(notes[0]).toMatchObject({ chatId, chatTitle: 'Bob <b>&', text: 'ping 1', network: 'whatsapp' })
    await h.core.handlers.updateChat({ chatId, muted: true })
    h.net.sendFromContact('me', 'bob', 'ping 2')
    await eventually(async () => (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages.some((m) => m.text === 'ping 2'))
    await h.core.handlers.updateChat({ chatId, muted: false })
    const account = await h.core.handlers.updateAccount({ accountId, muted: true })
    expect(account.muted).toBe(true)
    h.net.sendFromContact('me', 'bob', 'ping 3')
    await eventually(async () => (await h.core.handlers.listMessages({ chatId, limit: 50 })).messages.some((m) => m.text === 'ping 3'))
    expect(notes.map((n) => n.text)).toEqual(['ping 1'])
    // A muted account's unread messages do not count in the total.
    expect((await h.core.handlers.listInbox({ filter: { kind: 'all' }, limit: 5 })).totalUnread).toBe(0)
  })
})

describe('jumping to a message', () => {
  it('loads a window around it, then pages newer and older from there', async () => {
    const { chatId } = await setup(200)
    const all: string[] = []
    let before: string | null = null
    for (;;) {
      const page = await h.core.handlers.listMessages({ chatId, before, limit: 100 })
      all.unshift(...page.messages.map((m) => m.id))
      if (!page.hasMore) break
      before = page.messages[0]!.id
    }
    expect(all).toHaveLength(200)
    const target = all[60]!
    const around = await h.core.handlers.listMessages({ chatId, around: target, limit: 21 })
    expect(around.messages.map((m) => m.id)).toEqual(all.slice(50, 71))
    expect(around).toMatchObject({ hasMore: true, hasNewer: true })
    const newer = await h.core.handlers.listMessages({ chatId, after: around.messages.at(-1)!.id, limit: 200 })
    expect(newer.messages.map((m) => m.id)).toEqual(all.slice(71))
    expect(newer.hasNewer).toBe(false)
    await expect(h.core.handlers.listMessages({ chatId, around: '999999', limit: 5 })).rejects.toMatchObject({ code: 'not-found' })
  })
})

/** Exports hold what is stored: load the whole history of a chat first, as scrolling up would. */
async function loadAll(chatId: string): Promise<void> {
  let before: string | null = null
  for (;;) {
    const page = await h.core.handlers.listMessages({ chatId, before, limit: 100 })
    if (!page.hasMore) return
    before = page.messages[0]!.id
  }
}

describe('export', () => {
  it('writes every account, chat and message to JSON that parses', async () => {
    await loadAll((await setup(5)).chatId)
    const result = await h.core.handlers.exportHistory({ format: 'json' })
    expect(result.fileName).toMatch(/^junction-export-\d{8}-\d{6}\.json$/)
    expect(result.messages).toBe(5)
    expect(result.downloadUrl).toBeNull()
    const data = JSON.parse(readFileSync(result.path, 'utf8')) as {
      accounts: { network: string; chats: { title: string; messages: { text: string; fromMe: boolean }[] }[] }[]
    }
    expect(data.accounts).toHaveLength(1)
    expect(data.accounts[0]!.network).toBe('whatsapp')
    const bob = data.accounts[0]!.chats.find((c) => c.title === 'Bob <b>&')!
    expect(bob.messages.map((m) => m.text)).toEqual([0, 1, 2, 3, 4].map((i) => `line ${i} "quoted"`))
    expect(bob.messages[1]!.fromMe).toBe(true)
    expect(data.accounts[0]!.chats.find((c) => c.title === 'Nobody yet')!.messages).toEqual([])
  })

  it('writes HTML with everything escaped', async () => {
    await loadAll((await setup(2)).chatId)
    const result = await h.core.handlers.exportHistory({ format: 'html' })
    const html = readFileSync(result.path, 'utf8')
    expect(html).toContain('<h3>Bob &#60;b&#62;&#38;</h3>')
    expect(html).toContain('line 0 &#34;quoted&#34;')
    expect(html).not.toContain('<b>&')
  })

  it('cannot reveal paths or move the data folder outside Electron', async () => {
    await setup(1)
    await expect(h.core.handlers.revealPath({ what: 'data-folder' })).rejects.toMatchObject({ code: 'unsupported' })
    await expect(h.core.handlers.moveDataFolder(undefined)).rejects.toMatchObject({ code: 'unsupported' })
  })
})
