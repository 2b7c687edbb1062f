import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { IncomingMessage } from '../../../../../src/main/networks/connector'
import { Store } from '../../../../../src/main/core/store'
import { toFtsQuery } from '../../../../../src/main/core/store/search'
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../../../../src/shared/model'

let store: Store
let accountId: string

function incoming(chatRemoteId: string, remoteId: string, text: string, timestamp: number, extra: Partial<IncomingMessage> = {}): IncomingMessage {
  return { chatRemoteId, remoteId, senderId: chatRemoteId, fromMe: false, timestamp, kind: 'text', text, ...extra }
}

beforeEach(() => {
  store = Store.open(':memory:')
  accountId = store.accounts.insert({ network: 'whatsapp', selfId: 'me@c.us', displayName: 'Me', sealedCredentials: new Uint8Array([1]), now: 1 }).id
})
afterEach(() => store.close())

describe('messages', () => {
  it('upserts by remote id: a replay is neither new nor a change', () => {
    const chat = store.chats.upsert(accountId, { remoteId: 'c1', kind: 'direct', title: 'Ann' }).id
    const first = store.messages.upsert(chat, accountId, incoming('c1', 'r1', 'hi', 10))
    const again = store.messages.upsert(chat, accountId, incoming('c1', 'r1', 'hi', 10))
    expect(first).toMatchObject({ inserted: true, changed: true })
    expect(again).toMatchObject({ inserted: false, changed: false })
    expect(store.messages.page(chat, null, 10)).toHaveLength(1)
  })

  it('records an edit and an unsend on the same row', () => {
    const chat = store.chats.upsert(accountId, { remoteId: 'c1', kind: 'direct', title: 'Ann' }).id
    store.messages.upsert(chat, accountId, incoming('c1', 'r1', 'helo', 10))
    const edited = store.messages.upsert(chat, accountId, incoming('c1', 'r1', 'hello', 10, { edited: true }))
    expect(edited.message).toMatchObject({ text: 'hello', edited: true })
    const unsent = store.messages.upsert(chat, accountId, incoming('c1', 'r1', 'hello', 10, { deleted: true }))
    expect(unsent.message).toMatchObject({ text: '', deleted: true })
    expect(store.search.search('hello', 10)).toEqual([])
  })

  it('matches our own echo to the pending message by client id', () => {
    const chat = store.chats.upsert(accountId, { remoteId: 'c1', kind: 'direct', title: 'Ann' }).id
    const pending = store.messages.insertPending({
      chatId: chat,
      accountId,
      clientId: 'client-0001',
      senderId: 'me@c.us',
      timestamp: 5,
      kind: 'text',
      text: 'yo',
      media: null
    })
    const echo = store.messages.upsert(chat, accountId, incoming('c1', 'r9', 'yo', 6, { fromMe: true, clientId: 'client-0001', status: 'sent' }))
    expect(echo.inserted).toBe(false)
    expect(echo.message).toMatchObject({ id: pending.id, remoteId: 'r9', status: 'sent' })
  })

  it('raises receipt status and never lowers it', () => {
    const chat = store.chats.upsert(accountId, { remoteId: 'c1', kind: 'direct', title: 'Ann' }).id
    store.messages.upsert(chat, accountId, incoming('c1', 'r1', 'mine', 1, { fromMe: true, status: 'sent' }))
    expect(store.messages.applyReceipt(chat, ['r1'], 'read').map((m) => m.status)).toEqual(['read'])
    expect(store.messages.applyReceipt(chat, ['r1'], 'delivered')).toEqual([])
    expect(store.messages.byRemote(chat, 'r1')!.status).toBe('read')
  })

  it('pages history backwards in (timestamp, id) order', () => {
    const chat = store.chats.upsert(accountId, { remoteId: 'c1', kind: 'direct', title: 'Ann' }).id
    for (let i = 1; i <= 25; i++) store.messages.upsert(chat, accountId, incoming('c1', `r${i}`, `m${i}`, 1000 + (i % 5 === 0 ? i - 1 : i)))
    const newest = store.messages.page(chat, null, 10)
    expect(newest).toHaveLength(10)
    const ordered = [...newest].sort((a, b) => a.timestamp - b.timestamp || Number(a.id) - Number(b.id))
    expect(newest).toEqual(ordered)
    const older = store.messages.page(chat, Number(newest[0]!.id), 10)
    const oldest = store.messages.page(chat, Number(older[0]!.id), 10)
    expect([...oldest, ...older, ...newest].map((m) => m.text)).toHaveLength(25)
    expect(new Set([...oldest, ...older, ...newest].map((m) => m.id)).size).toBe(25)
  })
})

describe('the unified inbox', () => {
  it('orders chats of every account by newest activity, pinned first, and pages without gaps', () => {
    const other = store.accounts.insert({ network: 'line', selfId: 'u1', displayName: 'Me on LINE', sealedCredentials: new Uint8Array([1]), now: 2 }).id
    const ids: number[] = []
    for (let i = 0; i < 30; i++) {
      const id = store.chats.upsert(i % 2 ? other : accountId, {
        remoteId: `c${i}`,
        kind: 'direct',
        title: `Chat ${i}`,
        lastActivity: 1000 + ((i * 7) % 30)
      }).id
      ids.push(id)
    }
    store.chats.patch(ids[3]!, { pinned: true })
    const seen: string[] = []
    let after: string | null = null
    do {
      const page = store.chats.inbox({ filter: { kind: 'all' }, limit: 7, after })
      seen.push(...page.chats.map((c) => c.id))
      after = page.next
    } while (after)
    expect(seen).toHaveLength(30)
    expect(new Set(seen).size).toBe(30)
    const chats = seen.map((id) => store.chats.get(Number(id))!)
    expect(chats[0]!.id).toBe(String(ids[3]))
    const rest = chats.slice(1).map((c) => c.lastActivity)
    expect(rest).toEqual([...rest].sort((a, b) => b - a))
    expect(new Set(chats.map((c) => c.network))).toEqual(new Set(['whatsapp', 'line']))
  })

  it('filters unread, per account and archived, and counts unread without muted chats', () => {
    const a = store.chats.upsert(accountId, { remoteId: 'a', kind: 'direct', title: 'A', unread: 2 }).id
    const b = store.chats.upsert(accountId, { remoteId: 'b', kind: 'direct', title: 'B', unread: 5 }).id
    store.chats.upsert(accountId, { remoteId: 'c', kind: 'direct', title: 'C' })
    store.chats.patch(b, { muted: true })
    expect(store.chats.inbox({ filter: { kind: 'unread' }, limit: 10, after: null }).chats.map((c) => c.title)).toEqual(expect.arrayContaining(['A', 'B']))
    expect(store.chats.totalUnread()).toBe(2)
    store.chats.patch(a, { archived: true })
    expect(store.chats.inbox({ filter: { kind: 'all' }, limit: 10, after: null }).chats.map((c) => c.title)).not.toContain('A')
    expect(store.chats.inbox({ filter: { kind: 'archived' }, limit: 10, after: null }).chats.map((c) => c.title)).toEqual(['A'])
    expect(store.chats.inbox({ filter: { kind: 'account', accountId: 'nobody' }, limit: 10, after: null }).chats).toEqual([])
  })

  it('finds chats by title for the switcher, treating % and _ literally', () => {
    store.chats.upsert(accountId, { remoteId: 'a', kind: 'direct', title: 'Anna Lee' })
    store.chats.upsert(accountId, { remoteId: 'b', kind: 'direct', title: '100% Team_1' })
    const archived = store.chats.upsert(accountId, { remoteId: 'c', kind: 'direct', title: 'Old Anna' }).id
    store.chats.patch(archived, { archived: true })
    const titles = (query: string): string[] =>
      store.chats
        .inbox({ filter: { kind: 'title', query }, limit: 10, after: null })
        .chats.map((c) => c.title)
        .sort()
    expect(titles('anna')).toEqual(['Anna Lee', 'Old Anna'])
    expect(titles('%')).toEqual(['100% Team_1'])
    expect(titles('_')).toEqual(['100% Team_1'])
    expect(titles('T_am')).toEqual([])
  })

  it('keeps local pin, mute and archive when the network describes the chat again', () => {
    const id = store.chats.upsert(accountId, { remoteId: 'a', kind: 'direct', title: 'A' }).id
    store.chats.patch(id, { pinned: true, muted: true, archived: true, draft: 'half a thought' })
    store.chats.upsert(accountId, { remoteId: 'a', kind: 'direct', title: 'A renamed' })
    expect(store.chats.get(id)).toMatchObject({ title: 'A renamed', pinned: true, muted: true, archived: true, draft: 'half a thought' })
  })

  it('shows the last message as the preview', () => {
    const id = store.chats.upsert(accountId, { remoteId: 'a', kind: 'group', title: 'Team' }).id
    const m = store.messages.upsert(id, accountId, incoming('a', 'r1', 'lunch?', 50, { senderName: 'Bo' }))
    store.chats.noteMessage(id, Number(m.message.id), 50)
    expect(store.chats.get(id)).toMatchObject({ lastActivity: 50, preview: { text: 'lunch?', senderName: 'Bo', fromMe: false } })
  })
})

describe('search', () => {
  it('finds words across accounts with highlighted snippets, newest first', () => {
    const other = store.accounts.insert({ network: 'skype', selfId: '8:me', displayName: 'Skype me', sealedCredentials: new Uint8Array([1]), now: 2 }).id
    const c1 = store.chats.upsert(accountId, { remoteId: 'a', kind: 'direct', title: 'Ann' }).id
    const c2 = store.chats.upsert(other, { remoteId: 'b', kind: 'direct', title: 'Bob' }).id
    store.messages.upsert(c1, accountId, incoming('a', 'r1', 'the quarterly report is late', 1))
    store.messages.upsert(c2, other, incoming('b', 'r2', 'Reporting for duty', 2))
    store.messages.upsert(c2, other, incoming('b', 'r3', 'nothing to see', 3))
    const hits = store.search.search('report', 10)
    expect(hits.map((h) => h.network)).toEqual(['skype', 'whatsapp'])
    expect(hits[1]!.snippet).toBe(`the quarterly ${SNIPPET_OPEN}report${SNIPPET_CLOSE} is late`)
    expect(store.search.search('report', 10, { accountId })).toHaveLength(1)
    expect(store.search.search('report', 10, { chatId: c2 })).toHaveLength(1)
  })

  it('treats what a person types as words, never as query syntax', () => {
    expect(toFtsQuery('  ')).toBeNull()
    expect(toFtsQuery('a "b" c*')).toBe('"a"* "b"* "c"*')
    expect(toFtsQuery('NEAR(x y) OR text:foo')).toBe('"NEAR"* "x"* "y"* "OR"* "text"* "foo"*')
    const chat = store.chats.upsert(accountId, { remoteId: 'a', kind: 'direct', title: 'Ann' }).id
    store.messages.upsert(chat, accountId, incoming('a', 'r1', 'a "quoted" (thing)', 1))
    for (const q of ['"', '(', 'AND', 'NOT', '*', '^', 'col:x', '")', "'"]) expect(() => store.search.search(q, 5)).not.toThrow()
    expect(store.search.search('"quoted', 5)).toHaveLength(1)
  })
})

describe('accounts', () => {
  it('removing an account removes every chat, message, cursor and index entry of it', () => {
    const chat = store.chats.upsert(accountId, { remoteId: 'a', kind: 'direct', title: 'Ann' }).id
    store.messages.upsert(chat, accountId, incoming('a', 'r1', 'unforgettable', 1))
    store.cursors.set(accountId, 'rev', '42')
    store.contacts.upsert(accountId, { remoteId: 'a', name: 'Ann' })
    expect(store.accounts.remove(accountId)).toBe(true)
    const count = (table: string): number => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    for (const table of ['chats', 'messages', 'sync_cursors', 'contacts', 'outbox']) expect(count(table)).toBe(0)
    expect(store.search.search('unforgettable', 5)).toEqual([])
  })

  it('gives each account its own colour and rail position', () => {
    const second = store.accounts.insert({ network: 'line', selfId: 'u2', displayName: 'L', sealedCredentials: new Uint8Array(), now: 3 })
    const first = store.accounts.get(accountId)!
    expect(second.color).not.toBe(first.color)
    expect(second.position).toBe(first.position + 1)
  })
})
